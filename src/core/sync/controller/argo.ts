// Argo CD: ask the application controller to sync (writing `.operation.sync`, as `argocd app sync` does), only
// when no operation is running, and tell when our operation finished (`status.operationState`).
import { describeRef, type KubeObject, type ObjectRef } from '../../model';
import type { SyncClient } from '../client';
import { SyncError } from '../errors';
import type { Handled, Watched } from './follow';

/** Our operation carries this info entry, so its `status.operationState` is recognisably ours. */
export const ARGO_REQUEST_INFO = 'driftline.dev/requestedAt';

interface OperationState {
  phase?: string;
  message?: string;
  operation?: { info?: { name?: string; value?: string }[] };
}

function operationState(object: KubeObject): OperationState | undefined {
  return (object.status as { operationState?: OperationState } | undefined)?.operationState;
}

export async function requestArgoSync(client: SyncClient, application: KubeObject, requestedAt: string, options: { prune?: boolean } = {}): Promise<void> {
  const ref = argoRef(application);
  const state = operationState(application);
  if (application.operation || state?.phase === 'Running' || state?.phase === 'Terminating') {
    throw new SyncError(
      `${describeRef(ref)} already has an operation running${state?.message ? ` (${state.message})` : ''}: ` +
        'wait for it to finish, or terminate it in Argo CD, then sync again',
    );
  }
  await client.mergePatch(ref, {
    operation: {
      initiatedBy: { username: 'driftline' },
      info: [{ name: ARGO_REQUEST_INFO, value: requestedAt }],
      sync: { prune: options.prune ?? false },
    },
  });
}

export function argoWatched(ref: ObjectRef, requestedAt: string): Watched {
  return {
    ref,
    controllerName: 'the Argo CD application controller',
    handled(object): Handled | undefined {
      const state = operationState(object);
      const ours = state?.operation?.info?.some((i) => i.name === ARGO_REQUEST_INFO && i.value === requestedAt);
      if (!ours || !state?.phase || state.phase === 'Running' || state.phase === 'Terminating') return undefined;
      return { outcome: state.phase === 'Succeeded' ? 'Succeeded' : 'Failed', message: state.message ?? state.phase };
    },
    progress(object) {
      const state = operationState(object);
      return state?.phase ? `${state.phase}${state.message ? `: ${state.message}` : ''}` : 'waiting for the controller';
    },
  };
}

function argoRef(object: KubeObject): ObjectRef {
  return { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
}
