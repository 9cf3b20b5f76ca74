// Sync failures, phrased for the user: they name the app, environment and objects, and say what was (not) done.
import type { AppliedChange } from './model';

export class SyncError extends Error {
  constructor(
    message: string,
    /** What had been applied before the failure (empty when nothing was changed). */
    readonly applied: AppliedChange[] = [],
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/** The reason of a core/cluster ClusterError ('Forbidden', 'Conflict', 'NotFound', 'NoSuchKind', ...), if it is one. */
export function clusterReason(error: unknown): string | undefined {
  return error instanceof Error && error.name === 'ClusterError' ? (error as Error & { reason?: string }).reason : undefined;
}

/** The server's own words when the error carries them (an SSA conflict lists managers and fields there). */
export function serverMessage(error: unknown): string {
  const own = error instanceof Error ? (error as Error & { serverMessage?: string }).serverMessage : undefined;
  return own ?? (error instanceof Error ? error.message : String(error));
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
