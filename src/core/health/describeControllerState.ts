// What each cluster runs, in words: the few a row or a table has room for ("runs a1b2c3d · 4 behind
// origin/main"), the lines a tooltip or `driftline status` gives, and the controller and source objects that
// report a failure (the Drift view shows each as a warning row under the app).
import type { AppResult } from '../model';
import { shortRevision, type ControllerState, type RevisionBehind, type SourceState } from './controllerState';

/** A controller or source object, with its Ready condition. */
export interface ControllerProblem {
  kind: string;
  namespace: string;
  name: string;
  ready?: SourceState['ready'];
  reason?: string;
  message?: string;
}

/** "runs a1b2c3d · 4 behind origin/main", "suspended · runs 6.5.4 · tried 6.6.0", or undefined when nothing is known. */
export function runsSummary(app: Pick<AppResult, 'controller' | 'directSync'>): string | undefined {
  const controller = app.controller;
  const revision = controller?.appliedRevision ?? app.directSync?.revision;
  const parts: string[] = [];
  if (controller?.suspended) parts.push('suspended in cluster');
  if (controller?.ready === 'False') parts.push(`Ready=False${controller.reason ? ` ${controller.reason}` : ''}`);
  if (revision) parts.push(`runs ${shortRevision(revision)}`);
  const behind = controller ? controller.behind : app.directSync?.behind;
  const note = controller ? controller.revisionNote : app.directSync?.revisionNote;
  if (behind) parts.push(behindSummary(behind));
  else if (note) parts.push(note);
  if (controller?.attemptedRevision && controller.attemptedRevision !== controller.appliedRevision) parts.push(`tried ${shortRevision(controller.attemptedRevision)}`);
  if (controller?.source?.ready === 'False') parts.push(`source ${controller.source.kind} not ready`);
  return parts.length ? parts.join(' · ') : undefined;
}

/** "4 behind origin/main", "up to date with origin/main". */
export function behindSummary(behind: RevisionBehind): string {
  return behind.count === 0 ? `up to date with ${behind.ref}` : `${behind.count} behind ${behind.ref}`;
}

/**
 * The controller and source objects of an app that report a failed reconcile (Ready=False). One that is not in
 * the cluster is left to the tooltip: a cluster without Flux would otherwise warn on every app.
 */
export function controllerProblems(controller: ControllerState | undefined): ControllerProblem[] {
  if (!controller) return [];
  const states: (ControllerProblem | undefined)[] = [controller, controller.source];
  return states.filter((state): state is ControllerProblem => state?.ready === 'False').map(pick);
}

/** "Ready=False · HealthCheckFailed: health check failed after 30s", "not in the cluster". */
export function describeProblem(problem: ControllerProblem): string {
  const head = problem.ready ? `Ready=${problem.ready}${problem.reason ? ` · ${problem.reason}` : ''}` : '';
  return [head, problem.message].filter(Boolean).join(': ');
}

/** Everything known of what the app's cluster runs, one fact a line (a tooltip, `driftline status`). */
export function controllerLines(app: Pick<AppResult, 'controller' | 'directSync'>): string[] {
  const lines: string[] = [];
  const controller = app.controller;
  if (controller) {
    const who = `${controller.kind} ${controller.namespace}/${controller.name}`;
    if (controller.ready || controller.message) lines.push(`${who}: ${describeProblem(pick(controller))}`);
    if (controller.suspended) lines.push(`${who} is suspended in the cluster (spec.suspend)`);
    if (controller.appliedRevision) lines.push(`applied ${controller.appliedRevision}`);
    if (controller.attemptedRevision && controller.attemptedRevision !== controller.appliedRevision) lines.push(`last attempted ${controller.attemptedRevision}`);
    if (controller.lastReconciled) lines.push(`last reconciled ${controller.lastReconciled}`);
    for (const entry of controller.conditions ?? []) lines.push(`${entry.type}=${entry.status}${entry.reason ? ` ${entry.reason}` : ''}${entry.message ? `: ${entry.message}` : ''}`);
    const release = controller.release;
    if (release) lines.push(`release ${[release.chartName && `${release.chartName}@${release.chartVersion ?? '?'}`, release.version !== undefined && `v${release.version}`, release.status].filter(Boolean).join(' ')}`);
    if (controller.failures) lines.push(`failures since the last success: ${Object.entries(controller.failures).map(([action, count]) => `${action} ${count}`).join(', ')}`);
    const argo = controller.argo;
    if (argo && (argo.syncStatus || argo.healthStatus)) lines.push(`sync ${argo.syncStatus ?? '?'}, health ${argo.healthStatus ?? '?'}${argo.healthMessage ? ` (${argo.healthMessage})` : ''}`);
    if (argo?.operationPhase) lines.push(`last operation ${argo.operationPhase}${argo.operationMessage ? `: ${argo.operationMessage}` : ''}`);
    const source = controller.source;
    if (source) lines.push(`source ${source.kind} ${source.namespace}/${source.name}: ${describeProblem(pick(source)) || 'no Ready condition'}${source.revision ? ` (has ${source.revision})` : ''}`);
  } else if (app.directSync) {
    lines.push(`Driftline last applied ${app.directSync.revision}${app.directSync.revision.endsWith('-dirty') ? ' (with uncommitted changes)' : ''}`);
  }
  const behind = controller ? controller.behind : app.directSync?.behind;
  const note = controller ? controller.revisionNote : app.directSync?.revisionNote;
  if (behind) lines.push(behindLine(behind));
  else if (note) lines.push(note);
  return lines;
}

/** "4 commits behind origin/main (2 touch this app; 3 behind HEAD)". */
function behindLine(behind: RevisionBehind): string {
  if (behind.count === 0) return `up to date with ${behind.ref}`;
  const touching = behind.commits.some((commit) => commit.touchesApp !== undefined) ? behind.commits.filter((commit) => commit.touchesApp).length : undefined;
  const notes = [touching !== undefined ? `${touching}${behind.count > behind.commits.length ? ` of the newest ${behind.commits.length}` : ''} touch this app` : undefined,
    behind.headCount !== undefined ? `${behind.headCount} behind HEAD` : undefined].filter(Boolean);
  return `${behind.count} commit${behind.count === 1 ? '' : 's'} behind ${behind.ref}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

function pick(state: ControllerProblem): ControllerProblem {
  const { kind, namespace, name, ready, reason, message } = state;
  return { kind, namespace, name, ...(ready ? { ready } : {}), ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}
