// Health of an Argo Rollouts Rollout as Argo CD assesses it (its health check for argoproj.io/Rollout in
// resource_customizations), with what a user needs to act on it: the current step and weight, why it is
// paused, the canary and stable ReplicaSets with their images, and the AnalysisRuns with the metric that failed.
// Argo CD reports a rollout waiting at a pause step and one paused by a user both as Suspended; here the first
// is Paused (Promote continues it) and only the second Suspended.
import type { KubeObject } from '../model';
import type { RelatedObjects } from './related';
import { describeAnalysisRuns } from './rolloutAnalysis';
import { describeReplicaSets, stableHash } from './rolloutReplicaSets';
import { describeSteps } from './rolloutSteps';
import { numberOr, specAndStatus, type Dict, type Health } from './status';

export function rolloutHealth(rollout: KubeObject, related?: RelatedObjects): Health {
  const { spec, status } = specAndStatus(rollout);
  const assessed = assess(rollout, spec, status);
  const steps = describeSteps(spec, status);
  const details = [
    assessed.message, steps?.text, describePause(spec, status),
    ...describeReplicaSets(rollout, related), ...describeAnalysisRuns(rollout, related),
  ].filter((part): part is string => !!part);
  return { status: assessed.status, ...(details.length ? { message: details.join('; ') } : {}), ...(steps ? { summary: steps.summary } : {}) };
}

/** Argo CD's assessment, in its order: observed generation, failure conditions, pause, replicas, strategy. */
function assess(rollout: KubeObject, spec: Dict, status: Dict): Health {
  const waitingToObserve: Health = { status: 'Progressing', message: 'Waiting for rollout spec update to be observed' };
  if (rollout.status === undefined || status.observedGeneration === undefined) return waitingToObserve;
  // Controllers before v1.0 wrote a hash here, which says nothing about the generation.
  const observed = Number(status.observedGeneration);
  if (Number.isFinite(observed) && observed !== rollout.metadata.generation) return waitingToObserve;
  for (const entry of Array.isArray(status.conditions) ? status.conditions as Dict[] : []) {
    const failed = entry.type === 'InvalidSpec' ||
      (entry.type === 'Progressing' && (entry.reason === 'RolloutAborted' || entry.reason === 'ProgressDeadlineExceeded'));
    if (failed) return { status: 'Degraded', message: entry.message ?? entry.reason ?? entry.type };
  }
  if (Array.isArray(status.pauseConditions) && status.pauseConditions.length > 0) return { status: 'Paused', message: 'Rollout is paused' };
  if (spec.paused === true) return { status: 'Suspended', message: 'Rollout is paused' };
  if (!status.currentPodHash) return { status: 'Progressing', message: 'Waiting for rollout to finish: status has not been reconciled.' };
  const updated = numberOr(status.updatedReplicas, 0);
  if (updated < numberOr(spec.replicas, 1)) return { status: 'Progressing', message: 'Waiting for roll out to finish: More replicas need to be updated' };
  if (numberOr(status.availableReplicas, 0) < updated) {
    return { status: 'Progressing', message: 'Waiting for roll out to finish: updated replicas are still becoming available' };
  }
  const stable = stableHash(status) ?? '';
  if (spec.strategy?.blueGreen) {
    if (status.blueGreen?.activeSelector !== status.currentPodHash) return { status: 'Progressing', message: 'active service cutover pending' };
    if (stable && stable !== status.currentPodHash) return { status: 'Progressing', message: 'waiting for analysis to complete' };
  } else if (spec.strategy?.canary) {
    if (numberOr(status.replicas, 0) > updated) return { status: 'Progressing', message: 'Waiting for roll out to finish: old replicas are pending termination' };
    if (stable !== status.currentPodHash) return { status: 'Progressing', message: 'Waiting for rollout to finish steps' };
  }
  return { status: 'Healthy' };
}

/** Why it is paused, and what continues it. */
function describePause(spec: Dict, status: Dict): string | undefined {
  const conditions = Array.isArray(status.pauseConditions) ? status.pauseConditions as Dict[] : [];
  const parts: string[] = [];
  if (conditions.length) {
    const since = conditions.map((entry) => entry.startTime).filter(Boolean).sort()[0];
    parts.push(`paused by the controller (${conditions.map((entry) => entry.reason ?? 'unknown reason').join(', ')})${since ? ` since ${since}` : ''}`);
  }
  if (spec.paused === true) parts.push('paused by a user (spec.paused)');
  if (status.abort === true) parts.push('aborted: the stable ReplicaSet serves all traffic; Retry starts the update again');
  return parts.length ? `${parts.join(', ')}${conditions.length || spec.paused === true ? ': Promote continues it' : ''}` : undefined;
}
