import * as assert from 'node:assert/strict';
import { rollbackBranchName } from '../../../src/core/git';

describe('core/git rollbackBranchName', () => {
  it('names the branch driftline/rollback-<app>-<sha>', () => {
    assert.equal(rollbackBranchName('podinfo', 'abc1234'), 'driftline/rollback-podinfo-abc1234');
  });

  it('turns characters git refuses in a ref into dashes', () => {
    assert.equal(rollbackBranchName('infra: controllers~1', 'abc1234'), 'driftline/rollback-infra-controllers-1-abc1234');
  });
});
