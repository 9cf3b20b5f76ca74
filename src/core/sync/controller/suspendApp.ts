// Suspend and resume the Flux object that reconciles an app (as `flux suspend` / `flux resume` do), for the CLI
// and VS Code alike: find it live in the environment's cluster, then flip `spec.suspend`.
import { describeRef, refOf, type KubeObject, type ObjectRef } from '../../model';
import { SyncError } from '../errors';
import type { SyncTarget } from '../prepare';
import { isSuspended, setFluxSuspended } from './flux';
import { findLiveController } from './syncThroughController';

export interface SuspendOutcome {
  controller: ObjectRef;
  /** False when it already was as asked (nothing written). */
  changed: boolean;
  /** The reconcile request written on resume. */
  requestedAt?: string;
}

/** The app's live Flux Kustomization or HelmRelease; a SyncError naming the app and context when there is none. */
export async function findLiveFluxController(target: SyncTarget): Promise<KubeObject> {
  const { app, environment, context, client } = target;
  const controller = app.controller;
  if (!controller || controller.kind === 'Application') {
    throw new SyncError(`App ${app.name} in environment ${environment.name} has no Flux Kustomization or HelmRelease` +
      `${controller ? ` (it is managed by Argo CD ${describeRef(controller)})` : ''}: there is nothing to suspend or resume`);
  }
  const live = await findLiveController(client, controller);
  if (!live) throw new SyncError(`${describeRef(controller)} of app ${app.name} is not in the cluster of context "${context}". Nothing was changed.`);
  return live;
}

export async function setAppSuspended(target: SyncTarget, live: KubeObject, suspend: boolean): Promise<SuspendOutcome> {
  const controller = refOf(live);
  if (isSuspended(live) === suspend) return { controller, changed: false };
  const requestedAt = await setFluxSuspended(target.client, controller, suspend);
  return { controller, changed: true, ...(requestedAt ? { requestedAt } : {}) };
}

/** `suspended Kustomization/flux-system/apps` or `resumed ... (reconcile requested at T)`, or that it already was. */
export function describeSuspendOutcome(outcome: SuspendOutcome, suspend: boolean): string {
  const name = describeRef(outcome.controller);
  if (!outcome.changed) return `${name} is already ${suspend ? 'suspended' : 'running (not suspended)'}; nothing was changed`;
  return suspend ? `suspended ${name}` : `resumed ${name} (reconcile requested at ${outcome.requestedAt})`;
}
