// Health of a Flagger Canary: its phase (mapped as Argo CD's health check for flagger.app/Canary does, with a
// canary waiting at a gate Paused), the canary weight, failed checks against `spec.analysis.threshold`, and
// the last events Flagger recorded on it; a halted analysis is explained from Flagger's own event
// ("request-success-rate 97.2% is under 99 for 4 of 10 checks").
import type { HealthStatus, KubeObject } from '../model';
import { eventsOf, explainHalt, describeEvents } from './canaryEvents';
import type { RelatedObjects } from './related';
import { condition, numberOr, specAndStatus, type Health } from './status';

const PHASES: Record<string, HealthStatus> = {
  Failed: 'Degraded',
  Initializing: 'Progressing',
  Progressing: 'Progressing',
  Promoting: 'Progressing',
  Finalising: 'Progressing',
  Initialized: 'Healthy',
  Succeeded: 'Healthy',
  // Waiting for a confirm-rollout or confirm-promotion gate: the analysis goes on once it opens.
  Waiting: 'Paused',
  WaitingPromotion: 'Paused',
};

export function canaryHealth(canary: KubeObject, related?: RelatedObjects): Health {
  const { spec, status } = specAndStatus(canary);
  const phase = status.phase as string | undefined;
  const analysis = spec.analysis ?? spec.canaryAnalysis ?? {};
  const threshold = analysis.threshold as number | undefined;
  const failedChecks = numberOr(status.failedChecks, 0);
  const weight = numberOr(status.canaryWeight, 0);
  const health: HealthStatus = spec.suspend === true ? 'Suspended' : phase ? PHASES[phase] ?? 'Unknown' : 'Progressing';
  const events = eventsOf(canary, related);
  const inAnalysis = ['Progressing', 'Waiting', 'WaitingPromotion', 'Failed'].includes(phase ?? '');
  const parts = [
    spec.suspend === true ? 'suspended (spec.suspend): Flagger runs no analysis' : undefined,
    phase ? `phase ${phase}` : 'waiting for Flagger to initialize the canary',
    phase ? `canary weight ${weight}%${analysis.maxWeight !== undefined ? ` (max ${analysis.maxWeight}, step ${analysis.stepWeight ?? '?'})` : ''}` : undefined,
    threshold !== undefined && phase ? `${failedChecks} of ${threshold} failed checks` : undefined,
    analysis.iterations !== undefined && phase ? `iteration ${numberOr(status.iterations, 0)} of ${analysis.iterations}` : undefined,
    condition(status, 'Promoted')?.message,
    inAnalysis ? explainHalt(events, { failedChecks, threshold, failed: phase === 'Failed' }) : undefined,
    describeEvents(events),
  ].filter((part): part is string => !!part);
  const summary = phase ? [`weight ${weight}%`, threshold !== undefined ? `${failedChecks}/${threshold} failed checks` : undefined].filter(Boolean).join(' · ') : undefined;
  return { status: health, message: parts.join('; '), ...(summary ? { summary } : {}) };
}
