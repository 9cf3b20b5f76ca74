// Which apps a file feeds: the apps whose last render read it (the render cache's input files of each folder's
// workspace, core RenderCache.appsAffectedBy), for the CodeLens, the SCM view and Show Affected Apps.
import type { DriftSessions } from '../driftRoots';
import type { DriftSession } from '../driftSession';

export interface AffectedApp {
  session: DriftSession;
  environment: string;
  app: string;
  /** The given files it reads. */
  files: string[];
}

/** Apps of every folder that read one of `files` (absolute paths), sorted by `environment/app`. */
export function affectedApps(sessions: DriftSessions, files: string[]): AffectedApp[] {
  const found = new Map<string, AffectedApp>();
  for (const session of sessions.sessions) {
    const cache = session.workspace?.renderCache;
    if (!cache) continue;
    for (const file of files) {
      for (const app of cache.appsAffectedBy([file])) {
        const key = `${session.root}\u0000${app.environment}/${app.name}`;
        const entry = found.get(key) ?? { session, environment: app.environment, app: app.name, files: [] };
        entry.files.push(file);
        found.set(key, entry);
      }
    }
  }
  return [...found.values()].sort((a, b) => `${a.environment}/${a.app}`.localeCompare(`${b.environment}/${b.app}`));
}
