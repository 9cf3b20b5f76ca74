// Roll-ups: counts per app, an app's status from its resources, and the CLI's exit code for a whole report.
import type { AppDefinition, AppResult, ResourceResult, StatusCounts, StatusReport, SyncStatus } from '../model';

/** What an app's result says of its definition, whatever the comparison found. */
export function describedApp(app: AppDefinition): Pick<AppResult, 'name' | 'environment' | 'renderer' | 'path' | 'controller' | 'revisionNote' | 'flux'> {
  return {
    name: app.name, environment: app.environment, renderer: app.renderer, path: app.path,
    ...(app.controller ? { controller: app.controller } : {}),
    ...(app.revisionNote ? { revisionNote: app.revisionNote } : {}),
    ...(app.flux ? { flux: app.flux } : {}),
  };
}

export function countStatuses(resources: ResourceResult[]): StatusCounts {
  const counts: StatusCounts = { synced: 0, outOfSync: 0, missing: 0, extra: 0, unknown: 0 };
  const field: Record<SyncStatus, keyof StatusCounts> = {
    Synced: 'synced', OutOfSync: 'outOfSync', Missing: 'missing', Extra: 'extra', Unknown: 'unknown',
  };
  for (const resource of resources) counts[field[resource.status]]++;
  return counts;
}

/** Drift anywhere makes the app OutOfSync (known drift outranks an incomplete answer); else Unknown, else Synced. */
export function appStatus(counts: StatusCounts, reason: string | undefined): SyncStatus {
  if (counts.outOfSync || counts.missing || counts.extra) return 'OutOfSync';
  if (reason || counts.unknown) return 'Unknown';
  return 'Synced';
}

/** An environment's (or a whole report's) counts: its apps' counts added up. */
export function sumCounts(apps: AppResult[]): StatusCounts {
  const total: StatusCounts = { synced: 0, outOfSync: 0, missing: 0, extra: 0, unknown: 0 };
  for (const app of apps) {
    for (const key of Object.keys(total) as (keyof StatusCounts)[]) total[key] += app.counts[key];
  }
  return total;
}

export function hasDrift(app: AppResult): boolean {
  return app.counts.outOfSync + app.counts.missing + app.counts.extra > 0;
}

/**
 * 1 when drift was found, else 2 when something could not be compared (or there was nothing to compare), else 0
 * (everything in sync).
 */
export function exitCodeFor(report: StatusReport): 0 | 1 | 2 {
  const apps = report.environments.flatMap((environment) => environment.apps);
  if (apps.some(hasDrift)) return 1;
  if (apps.length === 0) return 2;
  if (report.environments.some((environment) => environment.reason) || apps.some((app) => app.status !== 'Synced')) return 2;
  return 0;
}
