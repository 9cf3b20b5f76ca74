// `driftline status`: a table of environment, app, status and counts (or the report as JSON, see
// docs/json-output.md). Exit status 0 in sync, 1 drift, 2 error.
import { describeProblem } from './listOptions';
import { CONVENTION_LAYOUTS } from '../core/discovery/discoverConventions';
import { describeRef, type AppResult, type ResourceResult, type StatusReport } from '../core/model';
import { exitCodeFor } from '../core/drift/summarize';
import { isProgressiveDelivery } from '../core/health/related';
import { controllerProblems, describeProblem as describeControllerProblem, runsSummary } from '../core/health/describeControllerState';
import { interruptible } from './interrupt';
import type { CliIO } from './io';
import { engineFor, readStatusArgs, STATUS_OPTIONS_HELP } from './statusArgs';

const HELP = `Usage: driftline status [options]\n\nCompares the live cluster with Git.\n\n${STATUS_OPTIONS_HELP}\n` +
  '  --json              the report as JSON (docs/json-output.md)\n';

export async function runStatus(args: string[], io: CliIO): Promise<number> {
  const parsed = readStatusArgs('status', args, io, HELP, { json: true });
  if (typeof parsed === 'number') return parsed;
  const engine = engineFor(parsed, io);
  try {
    // Ctrl-C stops the comparison (tool processes killed) and the command exits 130.
    const report = await interruptible('status', io, (signal) => engine.status(parsed.filter, signal));
    if (typeof report === 'number') return report;
    io.stdout.write(parsed.json ? `${JSON.stringify(jsonReport(report), null, 2)}\n` : formatTable(report));
    return exitCodeFor(report);
  } finally {
    engine.close();
  }
}

/** The report for machines: everything but each resource's live and desired objects (`driftline diff` shows those). */
export function jsonReport(report: StatusReport): unknown {
  return {
    ...report,
    environments: report.environments.map((environment) => ({
      ...environment,
      apps: environment.apps.map((app) => ({
        ...app,
        resources: app.resources.map(withoutObjects),
      })),
    })),
  };
}

/**
 * What the app's cluster runs ("runs a1b2c3d · 4 behind origin/main"), each controller or source that reports
 * a failed reconcile with its message, and the commits behind that touch the app.
 */
function runsLines(where: string, app: AppResult): string[] {
  const summary = runsSummary(app);
  if (!summary) return [];
  const problems = controllerProblems(app.controller).map((problem) => `${where}: ${problem.kind} ${problem.namespace}/${problem.name} ${describeControllerProblem(problem)}`);
  const behind = app.controller ? app.controller.behind : app.directSync?.behind;
  const touching = (behind?.commits ?? []).filter((commit) => commit.touchesApp).map((commit) => `${where}:   ${commit.sha.slice(0, 7)} ${commit.subject}`);
  return [`${where}: ${summary}`, ...problems, ...touching];
}

function withoutObjects(resource: ResourceResult): Omit<ResourceResult, 'live' | 'desired'> {
  const { live: _live, desired: _desired, ...fields } = resource;
  return fields;
}

export function formatTable(report: StatusReport): string {
  const header = ['ENVIRONMENT', 'APP', 'STATUS', 'SYNCED', 'OUTOFSYNC', 'MISSING', 'EXTRA', 'UNKNOWN'];
  const rows = report.environments.flatMap((environment) => environment.apps.map((app) => [
    environment.name, app.name, app.status, ...countsOf(app),
  ]));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line)];
  const details: string[] = [];
  for (const environment of report.environments) {
    if (environment.reason) details.push(`${environment.name}: ${environment.reason}`);
    for (const app of environment.apps) {
      if (app.reason && app.reason !== environment.reason) details.push(`${environment.name}/${app.name}: ${app.reason}`);
      if (app.sourceNote) details.push(`${environment.name}/${app.name}: ${app.sourceNote}`);
      details.push(...runsLines(`${environment.name}/${app.name}`, app));
      for (const resource of app.resources) {
        // Rollouts and canaries say where a release stands (step, weight, pause, failed analysis), in sync or not.
        if (isProgressiveDelivery(resource) && resource.health && resource.health !== 'Healthy') {
          details.push(`${environment.name}/${app.name}: ${resource.health} ${describeRef(resource)}${resource.healthMessage ? `: ${resource.healthMessage}` : ''}`);
        }
        if (resource.status === 'Synced') continue;
        details.push(`${environment.name}/${app.name}: ${resource.status} ${describeRef(resource)}${resource.reason ? `: ${resource.reason}` : ''}` +
          (resource.comparison === 'client-side' ? ' (client-side comparison: dry-run not allowed)' : ''));
      }
    }
  }
  for (const problem of report.problems ?? []) details.push(describeProblem(problem));
  if (report.environments.length === 0) {
    out.push(`(no environments found in ${report.repo}: no Flux Kustomization, Argo CD Application or .driftline.yaml, and no folder layout ` +
      `matched (tried ${CONVENTION_LAYOUTS.join(', ')}). Declare the environments and apps in a .driftline.yaml: see docs/driftline-yaml.md)`);
  }
  return `${out.join('\n')}\n${details.length ? `\n${details.join('\n')}\n` : ''}`;
}

function countsOf(app: AppResult): string[] {
  const { synced, outOfSync, missing, extra, unknown } = app.counts;
  return [synced, outOfSync, missing, extra, unknown].map(String);
}
