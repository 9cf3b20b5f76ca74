// Flux: ask kustomize-/helm-controller (or the Flux Operator, for a ResourceSet) to reconcile now (the
// `reconcile.fluxcd.io/requestedAt` annotation, as `flux reconcile` writes it), tell when it has
// (`status.lastHandledReconcileAt`), suspend and resume. A ResourceSet has no `spec.suspend`: the operator
// pauses one annotated `fluxcd.controlplane.io/reconcile: disabled`.
import { describeRef, type KubeObject, type ObjectRef } from '../../model';
import type { SyncClient } from '../client';
import { SyncError } from '../errors';
import type { Handled, Watched } from './follow';

export const FLUX_RECONCILE_ANNOTATION = 'reconcile.fluxcd.io/requestedAt';
const OPERATOR_RECONCILE_ANNOTATION = 'fluxcd.controlplane.io/reconcile';

interface FluxStatus {
  lastHandledReconcileAt?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

export function isSuspended(object: KubeObject): boolean {
  if (object.kind === 'ResourceSet') return object.metadata.annotations?.[OPERATOR_RECONCILE_ANNOTATION] === 'disabled';
  return (object.spec as { suspend?: boolean } | undefined)?.suspend === true;
}

/** Writes the request annotation; refuses a suspended object (the controller would ignore the request). */
export async function requestFluxReconcile(client: SyncClient, object: KubeObject, requestedAt: string): Promise<void> {
  if (isSuspended(object)) {
    throw new SyncError(`${describeRef(fluxRef(object))} is suspended: resume it first, or the controller ignores the request`);
  }
  await client.mergePatch(fluxRef(object), { metadata: { annotations: { [FLUX_RECONCILE_ANNOTATION]: requestedAt } } });
}

/** `spec.suspend`; resuming also requests a reconcile, as `flux resume` does. Returns the request token on resume. */
export async function setFluxSuspended(client: SyncClient, ref: ObjectRef, suspend: boolean, requestedAt = new Date().toISOString()): Promise<string | undefined> {
  if (ref.kind === 'ResourceSet') {
    // null removes the annotation (JSON merge patch): the operator reconciles again.
    const pause = { [OPERATOR_RECONCILE_ANNOTATION]: suspend ? 'disabled' : null };
    await client.mergePatch(ref, { metadata: { annotations: suspend ? pause : { ...pause, [FLUX_RECONCILE_ANNOTATION]: requestedAt } } });
    return suspend ? undefined : requestedAt;
  }
  if (!suspend) {
    await client.mergePatch(ref, { spec: { suspend: false }, metadata: { annotations: { [FLUX_RECONCILE_ANNOTATION]: requestedAt } } });
    return requestedAt;
  }
  await client.mergePatch(ref, { spec: { suspend: true } });
  return undefined;
}

export function fluxWatched(ref: ObjectRef, requestedAt: string): Watched {
  return {
    ref,
    controllerName: ref.kind === 'HelmRelease' ? 'helm-controller' : ref.kind === 'ResourceSet' ? 'flux-operator' : 'kustomize-controller',
    handled(object): Handled | undefined {
      const status = object.status as FluxStatus | undefined;
      if (status?.lastHandledReconcileAt !== requestedAt) return undefined;
      const ready = readyCondition(status);
      if (ready?.status === 'False') return { outcome: 'Failed', message: ready.message ?? ready.reason ?? 'Ready is False' };
      return { outcome: 'Succeeded', message: ready?.message ?? 'reconciled' };
    },
    progress(object) {
      const ready = readyCondition(object.status as FluxStatus | undefined);
      return ready ? `Ready=${ready.status}${ready.message ? `: ${ready.message}` : ''}` : 'waiting for the controller';
    },
  };
}

function readyCondition(status: FluxStatus | undefined) {
  return status?.conditions?.find((c) => c.type === 'Ready');
}

function fluxRef(object: KubeObject): ObjectRef {
  return { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
}
