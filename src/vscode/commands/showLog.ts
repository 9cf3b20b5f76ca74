// Driftline: Show Log.
import { DriftlineCommand } from './command';

export const showLogCommand: DriftlineCommand = {
  id: 'driftline.showLog',
  run(services) {
    services.log.show(true);
  },
};
