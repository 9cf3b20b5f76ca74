// Apply order: what other objects need to exist first (Namespaces, then CRDs), then the rest; prune runs
// after every apply, in the reverse order, so a Namespace or CRD goes last.
import type { ObjectRef } from '../model';

function rank(ref: ObjectRef): number {
  if (ref.kind === 'Namespace' && ref.apiVersion === 'v1') return 0;
  if (ref.kind === 'CustomResourceDefinition') return 1;
  return 2;
}

/** Stable sort of items into apply order. */
export function inApplyOrder<T>(items: T[], refOf: (item: T) => ObjectRef): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(refOf(a.item)) - rank(refOf(b.item)) || a.index - b.index)
    .map(({ item }) => item);
}

/** Stable sort of items into prune order: dependents before Namespaces and CRDs. */
export function inPruneOrder<T>(items: T[], refOf: (item: T) => ObjectRef): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(refOf(b.item)) - rank(refOf(a.item)) || a.index - b.index)
    .map(({ item }) => item);
}
