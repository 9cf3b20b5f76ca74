// Reveals an app's row in the Drift view (from the "feeds ..." CodeLens and Show Affected Apps): its row in
// preview mode when the preview lists it, else in the drift (preview mode ends for that).
import * as vscode from 'vscode';
import { findAppNode } from '../findAppNode';
import { DriftlineCommand } from './command';

export const revealAppCommand: DriftlineCommand = {
  id: 'driftline.revealApp',
  async run(services, root?: unknown, environment?: unknown, app?: unknown) {
    if (typeof root !== 'string' || typeof environment !== 'string' || typeof app !== 'string') return;
    const previewed = services.preview.shown?.session.root === root ? services.previewRows.appNode(environment, app) : undefined;
    if (previewed) return services.treeView.reveal(previewed, { select: true, focus: true, expand: true });
    await services.preview.leave();
    const node = findAppNode(services.tree, root, environment, app);
    if (!node) {
      void vscode.window.showInformationMessage(`Driftline: ${environment}/${app} is not in the Drift view (yet).`);
      return;
    }
    await services.treeView.reveal(node, { select: true, focus: true, expand: true });
  },
};
