// Driftline: Argo Rollouts Promote: continue a Rollout paused at a step (clears its pause conditions; in the middle of an analysis step, skips to the next step), as `kubectl argo rollouts promote`.
import type { DriftlineCommand } from './command';
import { runRolloutCommand } from './rolloutAction';

export const rolloutPromoteCommand: DriftlineCommand = {
  id: 'driftline.rolloutPromote',
  run: (services, argument?: unknown) => runRolloutCommand(services, argument, 'promote'),
};
