import assert from 'node:assert/strict';
import { DRIFTLINE_APP_LABEL, DRIFTLINE_ENV_ANNOTATION, type KubeObject } from '../../../src/core/model';
import { trackingSelector, withTracking } from '../../../src/core/sync/tracking';

describe('core/sync tracking', () => {
  it('adds the app label and environment annotation to a copy, keeping the object\'s own', () => {
    const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { tier: 'web' } } };
    const tracked = withTracking(object, { name: 'shop', environment: 'dev' });
    assert.deepEqual(tracked.metadata.labels, { tier: 'web', [DRIFTLINE_APP_LABEL]: 'shop' });
    assert.deepEqual(tracked.metadata.annotations, { [DRIFTLINE_ENV_ANNOTATION]: 'dev' });
    assert.deepEqual(object.metadata.labels, { tier: 'web' }, 'the input is untouched');
  });

  it('selects by the app label', () => {
    assert.equal(trackingSelector({ name: 'shop' }), 'driftline.dev/app=shop');
  });
});
