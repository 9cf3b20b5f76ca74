import * as assert from 'node:assert/strict';
import { resourceYaml, toYaml, unifiedDiff } from '../../../src/core/drift/diffText';
import type { ResourceResult } from '../../../src/core/model';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

describe('diff text', () => {
  it('prints YAML with sorted keys, so server order and Git order diff alike', () => {
    assert.equal(toYaml({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' } }), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
  });

  it('prints a unified diff naming the object, live as "-" and Git as "+"', () => {
    const text = unifiedDiff(ref, 'spec:\n  replicas: 1\n', 'spec:\n  replicas: 3\n');
    assert.match(text, /^--- live\/Deployment\/shop\/web\n\+\+\+ git\/Deployment\/shop\/web\n/m);
    assert.match(text, /^- {2}replicas: 1$/m);
    assert.match(text, /^\+ {2}replicas: 3$/m);
  });

  it('is empty when nothing differs, and diffs against nothing for a missing object', () => {
    assert.equal(unifiedDiff(ref, 'a: 1\n', 'a: 1\n'), '');
    assert.match(unifiedDiff(ref, undefined, 'a: 1\n'), /^\+a: 1$/m);
  });

  it('heads both files with the name the caller gives (the kind with its group when it is ambiguous)', () => {
    const text = unifiedDiff(ref, 'a: 1\n', 'a: 2\n', 'Gateway.networking.istio.io/edge/public');
    assert.match(text, /^--- live\/Gateway\.networking\.istio\.io\/edge\/public\n\+\+\+ git\/Gateway\.networking\.istio\.io\/edge\/public\n/m);
  });

  it('writes a result\'s side as YAML on request, from plain data that survives a JSON round trip', () => {
    const missing: ResourceResult = {
      apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'c', status: 'Missing',
      desired: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { a: '1' } },
    };
    const copy = JSON.parse(JSON.stringify(missing)) as ResourceResult;
    assert.deepEqual(copy, missing);
    assert.equal(resourceYaml(copy, 'desired'), 'apiVersion: v1\ndata:\n  a: "1"\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\n');
    assert.equal(resourceYaml(copy, 'live'), undefined, 'a Missing object has no live side');
  });
});
