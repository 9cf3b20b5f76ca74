import * as assert from 'node:assert/strict';
import { toYaml, unifiedDiff } from '../../../src/core/drift/diffText';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

describe('diff text', () => {
  it('prints YAML with sorted keys, so server order and Git order diff alike', () => {
    assert.equal(toYaml({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' } }), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
  });

  it('prints a unified diff naming the object, live as "-" and Git as "+"', () => {
    const text = unifiedDiff(ref, 'spec:\n  replicas: 1\n', 'spec:\n  replicas: 3\n');
    assert.match(text, /^--- live\/Deployment\/shop\/web\n\+\+\+ git\/Deployment\/shop\/web\n/m);
    assert.match(text, /^-  replicas: 1$/m);
    assert.match(text, /^\+  replicas: 3$/m);
  });

  it('is empty when nothing differs, and diffs against nothing for a missing object', () => {
    assert.equal(unifiedDiff(ref, 'a: 1\n', 'a: 1\n'), '');
    assert.match(unifiedDiff(ref, undefined, 'a: 1\n'), /^\+a: 1$/m);
  });
});
