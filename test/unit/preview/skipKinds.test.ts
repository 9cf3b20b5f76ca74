import * as assert from 'node:assert/strict';
import { objectFilter } from '../../../src/core/preview/skipKinds';

describe('preview --skip-kinds, --skip-crds, --skip-secrets', () => {
  const secret = { apiVersion: 'v1', kind: 'Secret' };
  const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };
  const certificate = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap' };

  it('keeps everything by default', () => {
    const keep = objectFilter();
    assert.deepEqual([secret, crd, certificate, configMap].map(keep), [true, true, true, true]);
  });

  it('leaves out a kind named alone or as Kind.group, and only that group\'s with a group', () => {
    assert.equal(objectFilter({ kinds: ['Certificate'] })(certificate), false);
    assert.equal(objectFilter({ kinds: ['Certificate.cert-manager.io'] })(certificate), false);
    assert.equal(objectFilter({ kinds: ['Certificate.example.com'] })(certificate), true);
    assert.equal(objectFilter({ kinds: [' ConfigMap '] })(configMap), false);
  });

  it('leaves out CRDs and v1 Secrets when asked, not a Secret kind of another group', () => {
    assert.equal(objectFilter({ crds: true })(crd), false);
    assert.equal(objectFilter({ secrets: true })(secret), false);
    assert.equal(objectFilter({ secrets: true })({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret' }), true);
    assert.equal(objectFilter({ secrets: true, crds: true })(configMap), true);
  });
});
