// The objects beside a live object that its health reads: a Rollout's ReplicaSets and AnalysisRuns, a Flagger
// Canary's Events. They are no desired state (never compared, never Extra, never watched): each refresh reads
// them once, with one LIST per kind and namespace, only in namespaces where such an object lives.
import { groupOf } from '../identity';
import type { KubeObject, ObjectRef } from '../model';
import type { ListKey, LiveSnapshot } from '../cluster/liveSnapshot';

/** What a health check may look up; a kind that was not read (or whose LIST failed) is `undefined`, not empty. */
export interface RelatedObjects {
  list(apiVersion: string, kind: string, namespace: string): KubeObject[] | undefined;
}

export const REPLICA_SET = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
export const ANALYSIS_RUN = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' };
export const EVENT = { apiVersion: 'v1', kind: 'Event' };

/** Per `group/Kind`, the kinds its health reads in its namespace. */
const RELATED_KINDS: Record<string, { apiVersion: string; kind: string }[]> = {
  'argoproj.io/Rollout': [REPLICA_SET, ANALYSIS_RUN],
  'flagger.app/Canary': [EVENT],
};

export function relatedKindsOf(ref: Pick<ObjectRef, 'apiVersion' | 'kind'>): { apiVersion: string; kind: string }[] {
  return RELATED_KINDS[`${groupOf(ref.apiVersion)}/${ref.kind}`] ?? [];
}

/** An Argo Rollouts Rollout: the kind Promote, Abort, Retry and Restart act on. */
export function isRollout(ref: Pick<ObjectRef, 'apiVersion' | 'kind'>): boolean {
  return groupOf(ref.apiVersion) === 'argoproj.io' && ref.kind === 'Rollout';
}

/** An Argo Rollouts Rollout or a Flagger Canary: where a release stands is in its health. */
export function isProgressiveDelivery(ref: Pick<ObjectRef, 'apiVersion' | 'kind'>): boolean {
  return relatedKindsOf(ref).length > 0;
}

/** The LISTs that read what the health of `refs` needs (namespaced objects only: these kinds all are). */
export function relatedListKeys(refs: ObjectRef[]): ListKey[] {
  const keys = new Map<string, ListKey>();
  for (const ref of refs) {
    if (!ref.namespace) continue;
    for (const kind of relatedKindsOf(ref)) keys.set(`${kind.apiVersion}/${kind.kind}/${ref.namespace}`, { ...kind, namespace: ref.namespace });
  }
  return [...keys.values()];
}

export function relatedFromSnapshot(snapshot: LiveSnapshot): RelatedObjects {
  return {
    list(apiVersion, kind, namespace) {
      const outcome = snapshot.outcome({ apiVersion, kind, namespace });
      return outcome?.state === 'listed' ? outcome.objects : undefined;
    },
  };
}

/**
 * Text that changes whenever what the health of `ref` reads changes (the resourceVersion of each LIST): part of
 * the inputs a cached comparison is reused for.
 */
export function relatedVersionsOf(ref: ObjectRef, snapshot: LiveSnapshot): string {
  if (!ref.namespace) return '';
  return relatedKindsOf(ref).map((kind) => {
    const outcome = snapshot.outcome({ ...kind, namespace: ref.namespace });
    return outcome?.state === 'listed' ? outcome.resourceVersion ?? '?' : '-';
  }).join(' ');
}

/** Those of `objects` that `owner` controls (an ownerReference with its uid, or its kind and name where the uid is unknown). */
export function ownedBy(owner: KubeObject, objects: KubeObject[]): KubeObject[] {
  const uid = owner.metadata.uid as string | undefined;
  return objects.filter((object) => {
    const references = Array.isArray(object.metadata.ownerReferences) ? object.metadata.ownerReferences as { uid?: string; kind?: string; name?: string }[] : [];
    return references.some((reference) => (uid ? reference.uid === uid : reference.kind === owner.kind && reference.name === owner.metadata.name));
  });
}
