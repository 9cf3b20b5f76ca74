// Stop Refresh: the view title's Stop button while a comparison runs (a slow cluster, a big repo).
import { DriftlineCommand } from './command';

export const stopRefreshCommand: DriftlineCommand = {
  id: 'driftline.stopRefresh',
  run(services) {
    for (const session of services.roots.sessions) session.cancel();
  },
};
