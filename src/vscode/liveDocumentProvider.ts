// `driftline-live:` documents: the object as the cluster has it (normalized, Secret values masked).
import type { DriftSessions } from './driftRoots';
import { DriftDocumentProvider } from './driftDocumentProvider';
import { LIVE_SCHEME } from './driftUris';

export function createLiveDocumentProvider(sessions: DriftSessions): DriftDocumentProvider {
  return new DriftDocumentProvider(sessions, LIVE_SCHEME, 'live');
}
