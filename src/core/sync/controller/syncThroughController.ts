// Controller mode: when the app's Flux Kustomization/HelmRelease or Argo CD Application is live in the cluster,
// Sync asks that controller to reconcile (the GitOps way) instead of applying, and follows it to the end.
import type { ControllerRef, KubeObject } from '../../model';
import type { SyncClient } from '../client';
import { hasReason } from '../../cluster/errors';
import type { ControllerSyncResult } from '../model';
import { argoWatched, requestArgoSync } from './argo';
import { followUntilHandled, type FollowOptions } from './follow';
import { fluxWatched, requestFluxReconcile } from './flux';

/** The live controller object of the app, or undefined when it is not in this cluster (or its CRD is not). */
export async function findLiveController(client: SyncClient, controller: ControllerRef | undefined): Promise<KubeObject | undefined> {
  if (!controller) return undefined;
  try {
    return await client.get(controller);
  } catch (error) {
    if (hasReason(error, 'NoSuchKind', 'NotFound')) return undefined;
    throw error;
  }
}

export interface ControllerSyncOptions extends FollowOptions {
  /** Argo CD: let the sync prune. */
  prune?: boolean;
  /** Called once the request is written, before following. */
  onRequested?: (requestedAt: string) => void;
}

export async function syncThroughController(client: SyncClient, live: KubeObject, options: ControllerSyncOptions = {}): Promise<ControllerSyncResult> {
  const controller: ControllerRef = {
    apiVersion: live.apiVersion,
    kind: live.kind as ControllerRef['kind'],
    name: live.metadata.name,
    namespace: live.metadata.namespace ?? '',
  };
  const requestedAt = new Date().toISOString();
  let watched;
  if (live.kind === 'Application') {
    await requestArgoSync(client, live, requestedAt, { prune: options.prune });
    watched = argoWatched(controller, requestedAt);
  } else {
    await requestFluxReconcile(client, live, requestedAt);
    watched = fluxWatched(controller, requestedAt);
  }
  options.onRequested?.(requestedAt);
  const handled = await followUntilHandled(client, watched, requestedAt, options);
  return { controller, requestedAt, ...handled };
}
