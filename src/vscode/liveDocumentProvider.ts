// `driftline-live:` documents: the object as the cluster has it (normalized, Secret values masked).
import { DriftSession } from './driftSession';
import { DriftDocumentProvider } from './driftDocumentProvider';
import { LIVE_SCHEME } from './driftUris';

export function createLiveDocumentProvider(session: DriftSession): DriftDocumentProvider {
  return new DriftDocumentProvider(session, LIVE_SCHEME, 'live');
}
