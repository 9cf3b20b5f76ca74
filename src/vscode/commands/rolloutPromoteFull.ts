// Driftline: Argo Rollouts Promote Full: skip a Rollout's remaining steps, pauses and analysis (status.promoteFull), as `kubectl argo rollouts promote --full`.
import type { DriftlineCommand } from './command';
import { runRolloutCommand } from './rolloutAction';

export const rolloutPromoteFullCommand: DriftlineCommand = {
  id: 'driftline.rolloutPromoteFull',
  run: (services, argument?: unknown) => runRolloutCommand(services, argument, 'promote-full'),
};
