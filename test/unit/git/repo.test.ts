import * as assert from 'node:assert/strict';
import { isUnder } from '../../../src/core/git/repo';

describe('core/git isUnder', () => {
  it('matches a file itself and files below a folder', () => {
    assert.ok(isUnder('apps/base/podinfo/deployment.yaml', ['apps/base/podinfo']));
    assert.ok(isUnder('apps/base/podinfo/deployment.yaml', ['apps/base/podinfo/deployment.yaml']));
  });

  it('does not match a sibling whose name only starts the same', () => {
    assert.ok(!isUnder('apps/base/podinfo-v2/deployment.yaml', ['apps/base/podinfo']));
  });

  it('matches everything under the repository root', () => {
    assert.ok(isUnder('README.md', ['.']));
  });
});
