// Driftline: Argo Rollouts Abort: send all traffic back to a Rollout's stable ReplicaSet (status.abort), as `kubectl argo rollouts abort`.
import type { DriftlineCommand } from './command';
import { runRolloutCommand } from './rolloutAction';

export const rolloutAbortCommand: DriftlineCommand = {
  id: 'driftline.rolloutAbort',
  run: (services, argument?: unknown) => runRolloutCommand(services, argument, 'abort'),
};
