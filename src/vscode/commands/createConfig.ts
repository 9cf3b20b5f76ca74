// Create .driftline.yaml: a starting configuration at the root of the workspace folder (asked for when there
// are several), opened for editing.
import * as vscode from 'vscode';
import { DriftlineCommand } from './command';

const TEMPLATE = `# Driftline: environments and the apps in each (see the README, ".driftline.yaml").
# Without this file Driftline finds Flux Kustomizations, Argo CD Applications and folders such as
# environments/<env>/<app>; with it, you say exactly what to compare where.
environments:
  - name: dev
    context: CONTEXT
    protected: false
apps:
  - name: my-app
    environments: [dev]
    path: deploy/overlays/{environment}
    namespace: my-app
`;

export const createConfigCommand: DriftlineCommand = {
  id: 'driftline.createConfig',
  async run(services) {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = folders.length > 1
      ? await vscode.window.showWorkspaceFolderPick({ placeHolder: 'The folder of the GitOps repository to configure' })
      : folders[0];
    if (!folder && folders.length > 1) return;
    if (!folder) {
      void vscode.window.showErrorMessage('Driftline: open the folder of your GitOps repository first.');
      return;
    }
    const file = vscode.Uri.joinPath(folder.uri, '.driftline.yaml');
    const exists = await vscode.workspace.fs.stat(file).then(() => true, () => false);
    if (!exists) {
      const context = services.kubeContexts(folder)[0] ?? 'my-kube-context';
      await vscode.workspace.fs.writeFile(file, Buffer.from(TEMPLATE.replace('CONTEXT', context)));
      services.log.info(`Created ${file.fsPath}`);
    }
    await vscode.window.showTextDocument(file);
  },
};
