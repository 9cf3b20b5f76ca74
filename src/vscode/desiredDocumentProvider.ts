// `driftline-desired:` documents: the object as Git renders it and the server would store it after a sync.
import type { DriftSessions } from './driftRoots';
import { DriftDocumentProvider } from './driftDocumentProvider';
import { DESIRED_SCHEME } from './driftUris';

export function createDesiredDocumentProvider(sessions: DriftSessions): DriftDocumentProvider {
  return new DriftDocumentProvider(sessions, DESIRED_SCHEME, 'desired');
}
