// Driftline: Refresh Preview (the view's title button in preview mode): the shown preview run again, with the
// files (and, for the working tree, the unsaved buffers) as they are now.
import { DriftlineCommand } from './command';

export const refreshPreviewCommand: DriftlineCommand = {
  id: 'driftline.refreshPreview',
  run: (services) => services.preview.refresh(),
};
