// What got worse between two status reports of the same engine: an app that was in sync and has drifted, a
// Rollout or Canary that became Degraded, a controller whose reconcile started failing (its Ready condition, or
// Argo CD's failed operation / Degraded app, went to False: health/controllerState.ts). Only changes count:
// an app that was already drifted, or that the previous report did not have, is no news (the view shows it).
// The notifications (src/vscode/driftNotifications.ts) tell the user about these; the view shows everything.
import { describeRef, sameObject } from '../identity';
import { isProgressiveDelivery } from '../health/related';
import type { AppResult, ResourceResult, StatusReport, SyncStatus } from '../model';

export type TransitionKind = 'drifted' | 'degraded' | 'reconcileFailed';

export interface Transition {
  kind: TransitionKind;
  environment: string;
  app: string;
  /** The object to diff: the first drifted object of the app, or the Degraded Rollout/Canary (none for a failed reconcile: the app's diff). */
  resource?: ResourceResult;
  /** A few words on what happened, naming the objects: `ConfigMap/shop/settings changed, Service/shop/web missing`. */
  detail: string;
}

/** Statuses that mean Git and the cluster differ (Unknown is no drift: the comparison could not be made). */
const DRIFTED: ReadonlySet<SyncStatus> = new Set(['OutOfSync', 'Missing', 'Extra']);

const STATUS_WORDS: Record<SyncStatus, string> = { Synced: 'in sync', OutOfSync: 'changed', Missing: 'missing', Extra: 'extra', Unknown: 'unknown' };

/** The objects shown by name in one transition's detail; the rest are counted. */
const NAMED_OBJECTS = 3;

/** Every transition from `previous` to `next`, in the order of `next`'s environments and apps. */
export function reportTransitions(previous: StatusReport, next: StatusReport): Transition[] {
  const transitions: Transition[] = [];
  for (const environment of next.environments) {
    const before = previous.environments.find((candidate) => candidate.name === environment.name);
    if (!before) continue;
    for (const app of environment.apps) {
      const earlier = before.apps.find((candidate) => candidate.name === app.name);
      if (earlier) transitions.push(...appTransitions(earlier, app));
    }
  }
  return transitions;
}

function appTransitions(before: AppResult, app: AppResult): Transition[] {
  const at = { environment: app.environment, app: app.name };
  const transitions: Transition[] = [];
  if (before.status === 'Synced' && DRIFTED.has(app.status)) {
    const drifted = app.resources.filter((resource) => DRIFTED.has(resource.status));
    const named = drifted.slice(0, NAMED_OBJECTS).map((resource) => `${describeRef(resource)} ${STATUS_WORDS[resource.status]}`);
    if (drifted.length > NAMED_OBJECTS) named.push(`${drifted.length - NAMED_OBJECTS} more`);
    transitions.push({ kind: 'drifted', ...at, ...(drifted[0] ? { resource: drifted[0] } : {}), detail: named.join(', ') || app.status });
  }
  const controller = app.controller;
  if (controller?.ready === 'False' && before.controller?.ready !== 'False') {
    const why = [controller.reason, controller.message].filter(Boolean).join(': ');
    transitions.push({ kind: 'reconcileFailed', ...at, detail: `${controller.kind} ${controller.namespace}/${controller.name} failed to reconcile${why ? ` (${shorten(why)})` : ''}` });
  }
  for (const resource of app.resources) {
    if (!isProgressiveDelivery(resource) || resource.health !== 'Degraded') continue;
    const earlier = before.resources.find((candidate) => sameObject(candidate, resource));
    if (earlier?.health === 'Degraded') continue;
    const why = resource.healthMessage ? `: ${resource.healthMessage}` : '';
    transitions.push({ kind: 'degraded', ...at, resource, detail: `${describeRef(resource)} is Degraded${why}` });
  }
  return transitions;
}

/** Controllers' messages can run to paragraphs (a kustomize build error): a notification takes the start. */
const MESSAGE_CHARACTERS = 200;

function shorten(text: string): string {
  return text.length > MESSAGE_CHARACTERS ? `${text.slice(0, MESSAGE_CHARACTERS - 1)}…` : text;
}

/** One line for an environment's transitions of one report: `dev: shop drifted (ConfigMap/shop/settings changed); ...`. */
export function describeTransitions(environment: string, transitions: readonly Transition[]): string {
  const parts = transitions.map((transition) =>
    transition.kind === 'drifted' ? `${transition.app} drifted (${transition.detail})` : `${transition.app}: ${transition.detail}`);
  return `${environment}: ${parts.join('; ')}`;
}
