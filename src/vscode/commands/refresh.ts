// Driftline: Refresh. From the view title (everything) or an environment/app row (just that part).
import { DriftlineCommand, targetNode } from './command';

export const refreshCommand: DriftlineCommand = {
  id: 'driftline.refresh',
  async run(services, node?: unknown) {
    const target = node ? targetNode(services, node) : undefined;
    if (!target) return services.session.refresh();
    if (target.kind === 'environment') return services.session.refresh({ environment: target.name });
    if (target.kind === 'app') return services.session.refresh({ environment: target.environment, app: target.name });
    return services.session.refresh({ environment: target.environment, app: target.app });
  },
};
