// Set Kube Context: which context an environment is compared against. Stored in the workspace setting
// `driftline.contexts` (environment -> context); the configuration change refreshes the view.
import * as vscode from 'vscode';
import { DriftlineCommand, DriftlineServices, targetNode } from './command';

export const setContextCommand: DriftlineCommand = {
  id: 'driftline.setContext',
  async run(services, node?: unknown) {
    const target = targetNode(services, node);
    const environment = target?.kind === 'environment' ? target.name : await pickEnvironment(services);
    if (!environment) return;
    const contexts = services.kubeContexts();
    if (!contexts.length) return chooseKubeconfig(services);
    const current = services.session.environment(environment)?.context;
    const picked = await vscode.window.showQuickPick(
      contexts.map((name) => ({ label: name, description: name === current ? 'current' : undefined })),
      { title: `Kube context for environment ${environment}`, placeHolder: 'Context to compare this environment against' },
    );
    if (!picked) return;
    const configuration = vscode.workspace.getConfiguration('driftline');
    const mapping = { ...configuration.get<Record<string, string>>('contexts', {}), [environment]: picked.label };
    await configuration.update('contexts', mapping, vscode.ConfigurationTarget.Workspace);
    services.log.info(`Environment ${environment} now uses context ${picked.label}`);
  },
};

/** Without a row to act on (e.g. from the welcome view), asks which environment; `*` means every one. */
async function pickEnvironment(services: DriftlineServices): Promise<string | undefined> {
  const names = services.session.report?.environments.map((environment) => environment.name) ?? [];
  if (names.length === 1) return names[0];
  if (!names.length) {
    return vscode.window.showInputBox({ title: 'Environment name', prompt: 'The environment this context is for', value: 'default' });
  }
  return vscode.window.showQuickPick(names, { title: 'Set the kube context of which environment?' });
}

/** No context to pick from: offers to point `driftline.kubeconfig` at a kubeconfig file. */
async function chooseKubeconfig(services: DriftlineServices): Promise<void> {
  const choose = 'Choose a kubeconfig file…';
  const answer = await vscode.window.showErrorMessage(
    'Driftline: no kube context found (setting driftline.kubeconfig, else KUBECONFIG, else ~/.kube/config).', choose);
  if (answer !== choose) return;
  const [file] = await vscode.window.showOpenDialog({ title: 'Kubeconfig file', canSelectMany: false, openLabel: 'Use this kubeconfig' }) ?? [];
  if (!file) return;
  await vscode.workspace.getConfiguration('driftline').update('kubeconfig', file.fsPath, vscode.ConfigurationTarget.Workspace);
  services.log.info(`Using kubeconfig ${file.fsPath}`);
}
