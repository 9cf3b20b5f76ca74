// Driftline: Refresh. From the view title (every folder, everything) or a folder/environment/app row (just that part).
import { DriftlineCommand, sessionOf, targetNode } from './command';

export const refreshCommand: DriftlineCommand = {
  id: 'driftline.refresh',
  async run(services, node?: unknown) {
    const target = node ? targetNode(services, node) : undefined;
    if (!target) {
      await Promise.all(services.roots.sessions.map((session) => session.refresh()));
      return;
    }
    const session = sessionOf(services, target);
    if (target.kind === 'folder') return session.refresh();
    if (target.kind === 'environment') return session.refresh({ environment: target.name });
    if (target.kind === 'app') return session.refresh({ environment: target.environment, app: target.name });
    return session.refresh({ environment: target.environment, app: target.app });
  },
};
