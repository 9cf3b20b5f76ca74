// Driftline: Argo Rollouts Retry: start an aborted Rollout's update again (status.abort: false), as `kubectl argo rollouts retry rollout`.
import type { DriftlineCommand } from './command';
import { runRolloutCommand } from './rolloutAction';

export const rolloutRetryCommand: DriftlineCommand = {
  id: 'driftline.rolloutRetry',
  run: (services, argument?: unknown) => runRolloutCommand(services, argument, 'retry'),
};
