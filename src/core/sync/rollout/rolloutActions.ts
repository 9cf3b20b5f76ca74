// Promote, Promote Full, Abort, Retry and Restart of an Argo Rollouts Rollout, making exactly the changes the
// `kubectl argo rollouts` plugin makes (pkg/kubectl-argo-rollouts/cmd): merge patches of the status subresource,
// which the controller reads as requests, falling back to one patch of the object where the CRD has no status
// subresource (Rollouts v0.9), a spec patch where the user paused it, and `spec.restartAt` for a restart.
import { isNotFound } from '../../cluster/errors';
import { DRIFTLINE_FIELD_MANAGER, describeRef, type KubeObject, type ObjectRef } from '../../model';
import type { SyncClient } from '../client';
import { SyncError } from '../errors';

export type RolloutAction = 'promote' | 'promote-full' | 'abort' | 'retry' | 'restart';

export const ROLLOUT_ACTIONS: readonly RolloutAction[] = ['promote', 'promote-full', 'abort', 'retry', 'restart'];

type Patch = Record<string, unknown>;

/** The plugin's three patches: status first, then spec; `unified` replaces both without a status subresource. */
export interface RolloutPatches {
  status?: Patch;
  spec?: Patch;
  unified?: Patch;
}

export interface RolloutActionOutcome {
  rollout: ObjectRef;
  action: RolloutAction;
  /** The patches sent, in order, as `status: {...}` / `object: {...}` (empty when there was nothing to do). */
  sent: string[];
  /** The Rollout as the server stored it afterwards. */
  live: KubeObject;
}

interface RolloutFields {
  spec?: { paused?: boolean; strategy?: { canary?: { steps?: unknown[] } } };
  status?: { pauseConditions?: unknown[]; currentStepIndex?: number; currentPodHash?: string; stableRS?: string };
}

/** What the plugin would send for `action` on the live `rollout` (`now`: the restart time). */
export function rolloutPatches(rollout: KubeObject, action: RolloutAction, now: Date): RolloutPatches {
  const { spec = {}, status = {} } = rollout as RolloutFields;
  switch (action) {
    case 'abort':
      return { status: { status: { abort: true } }, unified: { status: { abort: true } } };
    case 'retry':
      return { status: { status: { abort: false } }, unified: { status: { abort: false } } };
    case 'restart':
      // Go's time.RFC3339 of the UTC time: whole seconds.
      return { spec: { spec: { restartAt: `${now.toISOString().slice(0, 19)}Z` } } };
    case 'promote-full':
      // Already promoted: the plugin sends nothing.
      return status.currentPodHash !== status.stableRS ? { status: { status: { promoteFull: true } } } : {};
    case 'promote': {
      const patches: RolloutPatches = { unified: { spec: { paused: false }, status: { pauseConditions: null } } };
      if (spec.paused === true) patches.spec = { spec: { paused: false } };
      const steps = spec.strategy?.canary?.steps;
      if ((status.pauseConditions?.length ?? 0) > 0) {
        patches.status = { status: { pauseConditions: null } };
      } else if (Array.isArray(steps) && steps.length > 0) {
        // In the middle of an analysis or experiment step: promote skips to the next step (never past the last).
        const index = status.currentStepIndex ?? 0;
        const next = index < steps.length ? index + 1 : index;
        patches.status = { status: { pauseConditions: null, currentStepIndex: next } };
        patches.unified = { spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: next } };
      }
      return patches;
    }
  }
}

/** Reads the live Rollout, then sends the plugin's patches; a SyncError naming it when it is not there. */
export async function runRolloutAction(client: SyncClient, ref: ObjectRef, action: RolloutAction, now = new Date()): Promise<RolloutActionOutcome> {
  const rollout = await client.get(ref);
  if (!rollout) throw new SyncError(`${describeRef(ref)} is not in the cluster. Nothing was changed.`);
  const patches = rolloutPatches(rollout, action, now);
  const sent: string[] = [];
  let live = rollout;
  let objectPatch = patches.spec;
  if (patches.status) {
    try {
      live = await client.mergePatch(ref, patches.status, { subresource: 'status', fieldManager: DRIFTLINE_FIELD_MANAGER });
      sent.push(`status: ${JSON.stringify(patches.status)}`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      // The CRD serves no status subresource (Rollouts v0.9): status is written with the object.
      objectPatch = patches.unified;
    }
  }
  if (objectPatch) {
    live = await client.mergePatch(ref, objectPatch, { fieldManager: DRIFTLINE_FIELD_MANAGER });
    sent.push(`object: ${JSON.stringify(objectPatch)}`);
  }
  return { rollout: ref, action, sent, live };
}

const DONE: Record<RolloutAction, string> = {
  'promote': 'promoted',
  'promote-full': 'fully promoted',
  'abort': 'aborted',
  'retry': 'retried',
  'restart': 'restarted',
};

/** What the controller does next, said after the action. */
const NEXT: Record<RolloutAction, string> = {
  'promote': 'the controller goes on with the next step',
  'promote-full': 'the controller skips the remaining steps, pauses and analysis and makes the new pods stable',
  'abort': 'the controller scales the canary down and sends all traffic to the stable ReplicaSet',
  'retry': 'the controller starts the update again from the first step',
  'restart': 'the controller replaces its pods, a ReplicaSet at a time',
};

/** `promoted Rollout shop/web: the controller goes on with the next step`, or that nothing needed changing. */
export function describeRolloutOutcome(outcome: RolloutActionOutcome): string {
  const name = describeRef(outcome.rollout);
  if (outcome.sent.length === 0) {
    return outcome.action === 'promote-full'
      ? `${name} is already fully promoted (its current pods are the stable ones); nothing was changed`
      : `${name} is neither paused nor at a step to skip; nothing was changed`;
  }
  return `${DONE[outcome.action]} ${name}: ${NEXT[outcome.action]}`;
}

/** How a confirmation names the action: `promote`, `fully promote`, `abort`, ... */
export function rolloutActionVerb(action: RolloutAction): string {
  return action === 'promote-full' ? 'fully promote' : action;
}
