import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import { maskSecret, maskSecretPair, SECRET_MASK, SECRET_MASK_AFTER, SECRET_MASK_BEFORE } from '../../../src/core/drift/maskSecrets';
import { valueAt } from '../../support/valueAt';

function secret(data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data };
}

describe('Secret masking', () => {
  it('gives an unchanged value the same mask on both sides and a changed one a before/after pair', () => {
    const { live, desired } = maskSecretPair(secret({ user: 'YQ==', password: 'b2xk' }), secret({ user: 'YQ==', password: 'bmV3' }));
    assert.deepEqual(live?.data, { user: SECRET_MASK, password: SECRET_MASK_BEFORE });
    assert.deepEqual(desired?.data, { user: SECRET_MASK, password: SECRET_MASK_AFTER });
  });

  it('shows keys added or removed without their values', () => {
    const { live, desired } = maskSecretPair(secret({ old: 'eA==' }), secret({ new: 'eQ==' }));
    assert.deepEqual(live?.data, { old: SECRET_MASK });
    assert.deepEqual(desired?.data, { new: SECRET_MASK });
  });

  it('masks stringData too, and a lone Secret entirely, without touching the input', () => {
    const input: KubeObject = { ...secret({ a: 'YQ==' }), stringData: { b: 'plain' } };
    const masked = maskSecret(input);
    assert.deepEqual(masked.data, { a: SECRET_MASK });
    assert.deepEqual(masked.stringData, { b: SECRET_MASK });
    assert.equal(valueAt(input, '/stringData/b'), 'plain');
  });

  it('passes other kinds through unchanged', () => {
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'visible' } };
    assert.deepEqual(maskSecretPair(configMap, configMap).desired?.data, { a: 'visible' });
  });
});
