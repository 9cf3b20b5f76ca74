// The commit a direct sync recorded on what it applied (`driftline.dev/revision`, tracking.ts). A sync writes
// only the objects it changes, so an app's objects may carry several commits: the latest write is the one
// Driftline's field manager applied last (its managedFields entry's time).
import { DRIFTLINE_FIELD_MANAGER, DRIFTLINE_REVISION_ANNOTATION, type KubeObject } from '../model';
import type { DirectSyncState } from '../health/controllerState';

export function directSyncRevision(liveObjects: (KubeObject | undefined)[]): DirectSyncState | undefined {
  let latest: { revision: string; time: number } | undefined;
  for (const live of liveObjects) {
    const revision = live?.metadata.annotations?.[DRIFTLINE_REVISION_ANNOTATION];
    if (!live || !revision) continue;
    const time = appliedAt(live);
    if (!latest || time > latest.time) latest = { revision, time };
  }
  return latest && { revision: latest.revision };
}

/** When Driftline last applied the object (0 when its managedFields do not say). */
function appliedAt(live: KubeObject): number {
  const entries = Array.isArray(live.metadata.managedFields) ? live.metadata.managedFields as { manager?: string; operation?: string; time?: string }[] : [];
  const times = entries.filter((entry) => entry.manager === DRIFTLINE_FIELD_MANAGER && entry.operation === 'Apply' && entry.time).map((entry) => Date.parse(entry.time!));
  return Math.max(0, ...times.filter((time) => !Number.isNaN(time)));
}
