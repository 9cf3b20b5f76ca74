// `driftline-desired:` documents: the object as Git renders it and the server would store it after a sync.
import { DriftSession } from './driftSession';
import { DriftDocumentProvider } from './driftDocumentProvider';
import { DESIRED_SCHEME } from './driftUris';

export function createDesiredDocumentProvider(session: DriftSession): DriftDocumentProvider {
  return new DriftDocumentProvider(session, DESIRED_SCHEME, 'desired');
}
