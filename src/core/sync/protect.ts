// Protected environments: a write needs the user to type the environment's name (the CLI's --yes stands for it).
import { SyncError } from './errors';

export interface ProtectedTarget {
  name: string;
  protected: boolean;
}

export function needsTypedConfirmation(environment: ProtectedTarget): boolean {
  return environment.protected;
}

/** Whether `typed` confirms a write to `environment` (always true for an unprotected one). */
export function isConfirmed(environment: ProtectedTarget, typed: string | undefined): boolean {
  return !environment.protected || typed?.trim() === environment.name;
}

export function assertConfirmed(environment: ProtectedTarget, typed: string | undefined, action: string): void {
  if (isConfirmed(environment, typed)) return;
  throw new SyncError(
    `Environment ${environment.name} is protected: ${action} needs confirmation by typing the environment's name` +
      (typed ? ` ("${typed}" does not match)` : '') + '. Nothing was changed.',
  );
}
