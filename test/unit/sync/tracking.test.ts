import assert from 'node:assert/strict';
import { DRIFTLINE_APP_LABEL, DRIFTLINE_ENV_ANNOTATION, DRIFTLINE_REVISION_ANNOTATION, type KubeObject } from '../../../src/core/model';
import { comparisonSteps, normalize } from '../../../src/core/drift/normalize';
import { trackingSelector, withTracking } from '../../../src/core/sync/tracking';

describe('core/sync tracking', () => {
  it('adds the app label and environment annotation to a copy, keeping the object\'s own', () => {
    const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { tier: 'web' } } };
    const tracked = withTracking(object, { name: 'shop', environment: 'dev' });
    assert.deepEqual(tracked.metadata.labels, { tier: 'web', [DRIFTLINE_APP_LABEL]: 'shop' });
    assert.deepEqual(tracked.metadata.annotations, { [DRIFTLINE_ENV_ANNOTATION]: 'dev' });
    assert.deepEqual(object.metadata.labels, { tier: 'web' }, 'the input is untouched');
  });

  it('records the commit it applies from, which is never drift', () => {
    const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { note: 'n' } } };
    const tracked = withTracking(object, { name: 'shop', environment: 'dev' }, 'a1b2c3d4e5f60718293a4b5c6d7e8f9001122334-dirty');
    assert.equal(tracked.metadata.annotations?.[DRIFTLINE_REVISION_ANNOTATION], 'a1b2c3d4e5f60718293a4b5c6d7e8f9001122334-dirty');
    assert.deepEqual(normalize(tracked, comparisonSteps).metadata.annotations, { note: 'n' });
  });

  it('selects by the app label', () => {
    assert.equal(trackingSelector({ name: 'shop' }), 'driftline.dev/app=shop');
  });
});
