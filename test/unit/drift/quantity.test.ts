import assert from 'node:assert/strict';
import { isQuantityField, storedAs } from '../../../src/core/drift/quantity';

describe('resource quantities', () => {
  it('knows the canonical text the server stores for a written quantity', () => {
    for (const [written, stored] of [['0.5', '500m'], ['1', '1'], [1, '1'], ['0.1', '100m'], ['1000', '1k'], ['1.5Gi', '1536Mi'],
      ['1024Mi', '1Gi'], ['1e3', '1e3'], ['2E3', '2e3'], ['.5', '500m'], ['+2', '2'], ['1500m', '1500m']] as const) {
      assert.equal(storedAs(written, stored), true, `${written} -> ${stored}`);
    }
  });

  it('treats another value, another format family, or what it cannot read as a change', () => {
    for (const [written, stored] of [['0.5', '501m'], ['1073741824', '1Gi'], ['1Gi', '1073741824'], ['1e3', '1k'], ['0.5Ki', '512'],
      ['0.0000000001', '1n'], ['abc', 'abc2'], ['1Gb', '1G'], ['', '0'], [true, 'true']] as const) {
      assert.equal(storedAs(written, stored), false, `${written} -> ${stored}`);
    }
  });

  it('finds quantities only where built-in kinds keep them', () => {
    const container = ['spec', 'template', 'spec', 'containers', 0, 'resources', 'requests', 'cpu'];
    assert.equal(isQuantityField('apps/v1', 'Deployment', container), true);
    assert.equal(isQuantityField('batch/v1', 'CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'initContainers', 1, 'resources', 'limits', 'memory']), true);
    assert.equal(isQuantityField('v1', 'Pod', ['spec', 'overhead', 'cpu']), true);
    assert.equal(isQuantityField('v1', 'PersistentVolumeClaim', ['spec', 'resources', 'requests', 'storage']), true);
    assert.equal(isQuantityField('apps/v1', 'StatefulSet', ['spec', 'volumeClaimTemplates', 0, 'spec', 'resources', 'requests', 'storage']), true);
    assert.equal(isQuantityField('v1', 'ResourceQuota', ['spec', 'hard', 'requests.cpu']), true);
    assert.equal(isQuantityField('v1', 'LimitRange', ['spec', 'limits', 0, 'defaultRequest', 'cpu']), true);
    assert.equal(isQuantityField('example.com/v1', 'Deployment', container), false, 'a custom resource is never assumed to hold quantities');
    assert.equal(isQuantityField('apps/v1', 'Deployment', ['spec', 'template', 'spec', 'containers', 0, 'image']), false);
    assert.equal(isQuantityField('v1', 'ConfigMap', ['data', 'cpu']), false);
  });
});
