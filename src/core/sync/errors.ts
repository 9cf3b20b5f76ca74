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

// Sync's names for the one error vocabulary of core (errors.ts, cluster/errors.ts): the reason of a ClusterError,
// the server's own words, and any error's message.
export { reasonOf as clusterReason, serverMessageOf as serverMessage } from '../cluster/errors';
export { messageOf } from '../errors';
