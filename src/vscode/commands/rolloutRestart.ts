// Driftline: Argo Rollouts Restart: replace a Rollout's pods (spec.restartAt: now), as `kubectl argo rollouts restart`.
import type { DriftlineCommand } from './command';
import { runRolloutCommand } from './rolloutAction';

export const rolloutRestartCommand: DriftlineCommand = {
  id: 'driftline.rolloutRestart',
  run: (services, argument?: unknown) => runRolloutCommand(services, argument, 'restart'),
};
