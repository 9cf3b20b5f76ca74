// A Rollout's AnalysisRuns (those its status names and those of its current pod template), with the metric
// that failed: the phase the rollouts controller gave each metric result, its counts against the metric's
// limits, and the last measured value.
import type { KubeObject } from '../model';
import { ANALYSIS_RUN, ownedBy, type RelatedObjects } from './related';
import { numberOr, specAndStatus, type Dict } from './status';

const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';
/** The newest runs shown: older ones are history, not why the rollout is where it is. */
const SHOWN_RUNS = 3;

export function describeAnalysisRuns(rollout: KubeObject, related: RelatedObjects | undefined): string[] {
  const { status } = specAndStatus(rollout);
  const named = namedRuns(status);
  const namespace = rollout.metadata.namespace;
  const listed = namespace ? related?.list(ANALYSIS_RUN.apiVersion, ANALYSIS_RUN.kind, namespace) : undefined;
  // Not read (no AnalysisRun kind served, list forbidden): what the Rollout's status says of its runs.
  if (!listed) return named.map((run) => `AnalysisRun ${run.name} ${run.status ?? 'Pending'}${run.message ? `: ${run.message}` : ''}`);
  const names = new Set(named.map((run) => run.name));
  const runs = ownedBy(rollout, listed)
    .filter((run) => names.has(run.metadata.name) || run.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === status.currentPodHash)
    .sort((a, b) => String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')) || b.metadata.name.localeCompare(a.metadata.name))
    .slice(0, SHOWN_RUNS);
  return runs.map(describeRun);
}

/** The runs `status` points at: the current step's, the background one, blue-green's pre/post promotion. */
function namedRuns(status: Dict): { name: string; status?: string; message?: string }[] {
  const candidates = [status.canary?.currentStepAnalysisRunStatus, status.canary?.currentBackgroundAnalysisRunStatus,
    status.blueGreen?.prePromotionAnalysisRunStatus, status.blueGreen?.postPromotionAnalysisRunStatus];
  return candidates.filter((run): run is Dict => !!run?.name).map((run) => ({ name: run.name, status: run.status, message: run.message }));
}

function describeRun(run: KubeObject): string {
  const { spec, status } = specAndStatus(run);
  const phase = status.phase ?? 'Pending';
  const results = Array.isArray(status.metricResults) ? status.metricResults as Dict[] : [];
  const failing = results.filter((result) => ['Failed', 'Error', 'Inconclusive'].includes(result.phase));
  const metrics = Array.isArray(spec.metrics) ? spec.metrics as Dict[] : [];
  const why = failing.length
    ? failing.map((result) => describeMetric(result, metrics.find((metric) => metric.name === result.name) ?? {})).join(', ')
    : status.message;
  return `AnalysisRun ${run.metadata.name} ${phase}${why ? `: ${why}` : ''}`;
}

/** `metric success-rate Failed (3 failed of 5 measurements, failureLimit 2; last value [0.91])`. */
function describeMetric(result: Dict, metric: Dict): string {
  const count = numberOr(result.count, 0);
  const counts: string[] = [];
  if (result.phase === 'Failed') counts.push(`${numberOr(result.failed, 0)} failed of ${count} measurements, failureLimit ${numberOr(metric.failureLimit, 0)}`);
  if (result.phase === 'Error') counts.push(`${numberOr(result.error, 0)} errors of ${count} measurements, consecutiveErrorLimit ${numberOr(metric.consecutiveErrorLimit, 4)}`);
  if (result.phase === 'Inconclusive') counts.push(`${numberOr(result.inconclusive, 0)} inconclusive of ${count} measurements`);
  const measurements = Array.isArray(result.measurements) ? result.measurements as Dict[] : [];
  const last = [...measurements].reverse().find((measurement) => measurement.phase === result.phase) ?? measurements[measurements.length - 1];
  if (last?.value !== undefined && last.value !== '') counts.push(`last value ${last.value}`);
  const message = result.message ?? last?.message;
  return `metric ${result.name} ${result.phase}${counts.length ? ` (${counts.join('; ')})` : ''}${message ? `: ${message}` : ''}`;
}
