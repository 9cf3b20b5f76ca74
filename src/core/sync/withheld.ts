// What "apply the other objects" leaves out: every blocked object, and every object that needs one of them
// (the objects in a blocked Namespace, the custom resources of a blocked CRD), each with the reason.
import { describeRef, kindId } from '../identity';
import type { ObjectRef } from '../model';
import { refKey } from './inventory';
import type { SyncPlan } from './model';

export function withheldObjects(plan: Pick<SyncPlan, 'blocked' | 'changes'>): Map<string, { ref: ObjectRef; reason: string }> {
  const withheld = new Map(plan.blocked.map((b) => [refKey(b.ref), { ref: b.ref, reason: b.reason }]));
  const namespaces = new Map<string, ObjectRef>();
  const kinds = new Map<string, ObjectRef>();
  for (const { ref, object } of plan.blocked) {
    if (ref.kind === 'Namespace' && ref.apiVersion === 'v1') namespaces.set(ref.name, ref);
    if (ref.kind === 'CustomResourceDefinition') {
      const spec = object?.spec as { group?: string; names?: { kind?: string } } | undefined;
      kinds.set(`${spec?.group}/${spec?.names?.kind}`, ref);
    }
  }
  for (const change of plan.changes) {
    if (change.action !== 'create' && change.action !== 'update') continue;
    const needed = (change.ref.namespace ? namespaces.get(change.ref.namespace) : undefined) ?? kinds.get(kindId(change.ref));
    if (needed) withheld.set(refKey(change.ref), { ref: change.ref, reason: `needs ${describeRef(needed)}, which cannot be applied` });
  }
  return withheld;
}
