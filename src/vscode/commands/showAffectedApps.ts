// Driftline: Show Affected Apps: the apps the given files feed (a changed file in the Source Control view, a
// file in the explorer or the editor), as their last renders read them; the one chosen is revealed in the
// Drift view.
import * as path from 'path';
import * as vscode from 'vscode';
import { affectedApps } from '../preview/affectedApps';
import { DriftlineCommand } from './command';

export const showAffectedAppsCommand: DriftlineCommand = {
  id: 'driftline.showAffectedApps',
  async run(services, ...args: unknown[]) {
    const files = filesOf(args);
    if (!files.length) {
      void vscode.window.showInformationMessage('Driftline: choose a file (in the Source Control view, the explorer or an editor) to see the apps it feeds.');
      return;
    }
    const apps = affectedApps(services.roots, files);
    const named = files.map((file) => path.basename(file)).join(', ');
    if (!apps.length) {
      void vscode.window.showInformationMessage(`Driftline: no app of the Drift view reads ${named}.`);
      return;
    }
    const picked = apps.length === 1 ? apps[0] : (await vscode.window.showQuickPick(apps.map((app) => ({
      label: `${app.environment}/${app.app}`,
      description: app.session.folder && services.roots.shown.length > 1 ? app.session.folder.name : undefined,
      detail: `reads ${app.files.map((file) => vscode.workspace.asRelativePath(file)).join(', ')}`,
      app,
    })), { placeHolder: `${named} feeds ${apps.length} apps: reveal one in the Drift view` }))?.app;
    if (picked) await vscode.commands.executeCommand('driftline.revealApp', picked.session.root, picked.environment, picked.app);
  },
};

/**
 * Files from what VS Code passes: Source Control resource states (the clicked one, then the selection), Uris
 * (explorer, CodeLens), or nothing (the active editor's file).
 */
function filesOf(args: unknown[]): string[] {
  const uris = args.flat().flatMap((arg): vscode.Uri[] => {
    if (arg instanceof vscode.Uri) return [arg];
    if (arg && typeof arg === 'object' && 'resourceUri' in arg && arg.resourceUri instanceof vscode.Uri) return [arg.resourceUri];
    return [];
  });
  const active = vscode.window.activeTextEditor?.document.uri;
  const chosen = uris.length ? uris : active ? [active] : [];
  return [...new Set(chosen.filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath))];
}
