import assert from 'node:assert/strict';
import type { ObjectRef } from '../../../src/core/model';
import { inApplyOrder, inPruneOrder } from '../../../src/core/sync/order';

const refs: ObjectRef[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
  { apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'shop', name: 'w' },
  { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'widgets.example.com' },
  { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' },
  { apiVersion: 'v1', kind: 'Namespace', name: 'shop' },
];
const names = (list: ObjectRef[]) => list.map((r) => r.kind);

describe('core/sync apply and prune order', () => {
  it('applies Namespaces, then CRDs, then the rest in their Git order', () => {
    assert.deepEqual(names(inApplyOrder(refs, (r) => r)), ['Namespace', 'CustomResourceDefinition', 'Deployment', 'Widget', 'Service']);
  });

  it('prunes dependents first, CRDs and Namespaces last', () => {
    assert.deepEqual(names(inPruneOrder(refs, (r) => r)), ['Deployment', 'Widget', 'Service', 'CustomResourceDefinition', 'Namespace']);
  });
});
