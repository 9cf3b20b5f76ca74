// The Events Flagger records on a Canary (core v1 Events: reason Synced, type Normal or Warning, messages as
// its scheduler words them), newest last, and what a halted analysis says in them.
import type { KubeObject } from '../model';
import { EVENT, type RelatedObjects } from './related';
import { numberOr, type Dict } from './status';

/** How many of the last events a health message repeats. */
const SHOWN_EVENTS = 3;

/** Units of Flagger's builtin metrics: the success rate is a percentage, the duration milliseconds. */
const BUILTIN_UNITS: Record<string, string> = { 'request-success-rate': '%', 'request-duration': 'ms' };

export interface CanaryEvent {
  type: string;
  message: string;
  count: number;
  time: string;
}

/** The Canary's events, oldest first; empty when Events were not read. */
export function eventsOf(canary: KubeObject, related: RelatedObjects | undefined): CanaryEvent[] {
  const namespace = canary.metadata.namespace;
  const events = namespace ? related?.list(EVENT.apiVersion, EVENT.kind, namespace) ?? [] : [];
  const uid = canary.metadata.uid as string | undefined;
  return events
    .filter((event) => {
      const involved = (event.involvedObject ?? {}) as Dict;
      return involved.kind === canary.kind && involved.name === canary.metadata.name && (!uid || !involved.uid || involved.uid === uid);
    })
    .map((event) => ({
      type: String(event.type ?? 'Normal'),
      message: String(event.message ?? '').trim(),
      count: numberOr(event.count, 1),
      time: String(event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp ?? ''),
    }))
    .sort((a, b) => a.time.localeCompare(b.time));
}

/** `last events: Advance podinfo.test canary weight 10; warning: Halt ... (x4)`. */
export function describeEvents(events: CanaryEvent[]): string | undefined {
  const last = events.slice(-SHOWN_EVENTS);
  if (!last.length) return undefined;
  return `last events: ${last.map((event) => `${event.type === 'Warning' ? 'warning: ' : ''}${event.message}${event.count > 1 ? ` (x${event.count})` : ''}`).join(' | ')}`;
}

// Flagger's wording (pkg/controller/scheduler_metrics.go): "Halt <name>.<namespace> advancement <metric> <value> < <min>"
// (or "> <max>"), and "Halt advancement no values found for [custom ]metric: <metric>".
const THRESHOLD_HALT = /^Halt \S+ advancement (\S+) (-?[\d.]+) ([<>]) (\S+)$/;
const NO_VALUES_HALT = /^Halt advancement no values found for (?:custom )?metric: ([^:\s]+)/;

/**
 * Why the analysis does not advance: the newest halt (a metric beyond its threshold, or one without values), else
 * the newest warning. `failed`: the analysis gave up (phase Failed), so the halt that led there is the reason.
 */
export function explainHalt(events: CanaryEvent[], checks: { failedChecks: number; threshold?: number; failed: boolean }): string | undefined {
  const warnings = [...events].reverse().filter((event) => event.type === 'Warning');
  const halt = warnings.find((event) => THRESHOLD_HALT.test(event.message) || NO_VALUES_HALT.test(event.message));
  const warning = halt ?? warnings[0];
  if (!warning) return undefined;
  const prefix = checks.failed ? 'failed' : 'stalled';
  const ofChecks = checks.threshold !== undefined ? ` for ${checks.failedChecks} of ${checks.threshold} checks` : '';
  const beyond = THRESHOLD_HALT.exec(warning.message);
  if (beyond) {
    const [, metric, value, comparison, limit] = beyond;
    const unit = BUILTIN_UNITS[metric!] ?? '';
    return `${prefix}: ${metric} ${Number(value)}${unit} is ${comparison === '<' ? 'under' : 'over'} ${limit}${ofChecks}`;
  }
  const noValues = NO_VALUES_HALT.exec(warning.message);
  if (noValues) return `${prefix}: no values found for metric ${noValues[1]} (is the canary receiving traffic?)${ofChecks}`;
  return `${prefix}: ${warning.message}`;
}
