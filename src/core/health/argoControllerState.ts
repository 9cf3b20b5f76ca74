// A live Argo CD Application read as its application controller writes the status: sync status and the
// revision compared (`sync.revision`, `sync.revisions` for multi-source apps), health, the last operation
// (`operationState.phase`: Running, Succeeded, Failed, Error, Terminating), what was deployed (`history`, newest
// last), `reconciledAt`, and error conditions (ComparisonError: the repository or chart could not be read).
import type { ControllerRef, KubeObject } from '../model';
import { stringField, type ControllerState } from './controllerState';
import { specAndStatus, type Dict } from './status';

const FAILED_PHASES = new Set(['Failed', 'Error']);
/** Argo CD conditions that mean it could not compare or sync the app (the others are warnings). */
const ERROR_CONDITIONS = ['ComparisonError', 'SyncError', 'InvalidSpecError', 'UnknownError'];

export function argoControllerState(ref: ControllerRef, live: KubeObject): ControllerState {
  const { status } = specAndStatus(live);
  const sync = (status.sync ?? {}) as Dict;
  const health = (status.health ?? {}) as Dict;
  const operation = (status.operationState ?? {}) as Dict;
  const history = Array.isArray(status.history) ? status.history as Dict[] : [];
  const deployed = history[history.length - 1];
  const argo = {
    ...stringField('syncStatus', sync.status), ...stringField('healthStatus', health.status), ...stringField('healthMessage', health.message),
    ...stringField('operationPhase', operation.phase), ...stringField('operationMessage', operation.message),
  };
  const error = (Array.isArray(status.conditions) ? status.conditions as Dict[] : []).find((entry) => ERROR_CONDITIONS.includes(entry?.type));
  const state: ControllerState = { ...ref, ready: undefined, argo };
  if (error) Object.assign(state, { ready: 'False', reason: error.type }, stringField('message', error.message));
  else if (FAILED_PHASES.has(operation.phase)) Object.assign(state, { ready: 'False', reason: `Sync${operation.phase}` }, stringField('message', operation.message));
  else if (health.status === 'Degraded') Object.assign(state, { ready: 'False', reason: 'Degraded' }, stringField('message', health.message));
  else if (sync.status === 'Synced' && health.status === 'Healthy' && operation.phase !== 'Running') state.ready = 'True';
  else if (sync.status || health.status) Object.assign(state, { ready: 'Unknown', reason: operation.phase === 'Running' ? 'SyncRunning' : `${sync.status ?? '?'}/${health.status ?? '?'}` }, stringField('message', operation.phase === 'Running' ? operation.message : health.message));
  Object.assign(state, stringField('lastReconciled', status.reconciledAt));
  // What runs is what was last deployed; the compared revision stands in before the first sync Argo CD recorded.
  Object.assign(state, stringField('appliedRevision', revisionOf(deployed) ?? revisionOf(sync)));
  const attempted = operation.phase && operation.phase !== 'Succeeded'
    ? revisionOf(operation.syncResult as Dict | undefined) ?? revisionOf((operation.operation as Dict | undefined)?.sync as Dict | undefined)
    : undefined;
  Object.assign(state, stringField('attemptedRevision', attempted));
  return state;
}

/** `revision`, or for a multi-source app the first of `revisions` that names a commit (else the first). */
function revisionOf(entry: Dict | undefined): string | undefined {
  if (typeof entry?.revision === 'string' && entry.revision) return entry.revision;
  const revisions = Array.isArray(entry?.revisions) ? (entry.revisions as unknown[]).filter((value): value is string => typeof value === 'string' && value !== '') : [];
  return revisions.find((value) => /^[0-9a-f]{40}$/.test(value)) ?? revisions[0];
}
