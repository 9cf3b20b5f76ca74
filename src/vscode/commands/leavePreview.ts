// Driftline: Leave Preview (the view's title button in preview mode): back to the drift, as it is now.
import { DriftlineCommand } from './command';

export const leavePreviewCommand: DriftlineCommand = {
  id: 'driftline.leavePreview',
  run: (services) => services.preview.leave(),
};
