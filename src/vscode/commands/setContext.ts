// Set Kube Context: which context an environment is compared against. Stored in the setting
// `driftline.contexts` (environment -> context) of the workspace, or of the environment's folder in a multi-root
// workspace; the configuration change refreshes that folder.
import * as vscode from 'vscode';
import type { DriftSession } from '../driftSession';
import { DriftlineCommand, DriftlineServices, sessionOf, shownSessions, targetNode } from './command';

export const setContextCommand: DriftlineCommand = {
  id: 'driftline.setContext',
  async run(services, node?: unknown) {
    const target = targetNode(services, node);
    const picked = target?.kind === 'environment' ? { session: sessionOf(services, target), environment: target.name } : await pickEnvironment(services);
    if (!picked) return;
    const { session, environment } = picked;
    const contexts = services.kubeContexts(session.folder);
    if (!contexts.length) return chooseKubeconfig(services, session);
    const current = session.environment(environment)?.context;
    const chosen = await vscode.window.showQuickPick(
      contexts.map((name) => ({ label: name, description: name === current ? 'current' : undefined })),
      { title: `Kube context for environment ${environment}`, placeHolder: 'Context to compare this environment against' },
    );
    if (!chosen) return;
    const { configuration, target: where } = settingsOf(session);
    const mapping = { ...configuration.get<Record<string, string>>('contexts', {}), [environment]: chosen.label };
    await configuration.update('contexts', mapping, where);
    services.log.info(`Environment ${environment}${session.folder ? ` of ${session.folder.name}` : ''} now uses context ${chosen.label}`);
  },
};

/** The `driftline` settings of a session's folder: the workspace's, or the folder's own in a multi-root workspace. */
function settingsOf(session: DriftSession): { configuration: vscode.WorkspaceConfiguration; target: vscode.ConfigurationTarget } {
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  return {
    configuration: vscode.workspace.getConfiguration('driftline', session.folder),
    target: multiRoot && session.folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace,
  };
}

/** Without a row to act on (e.g. from the welcome view), asks which environment (of which folder, when several). */
async function pickEnvironment(services: DriftlineServices): Promise<{ session: DriftSession; environment: string } | undefined> {
  const sessions = shownSessions(services);
  const choices = sessions.flatMap((session) => (session.report?.environments ?? []).map((environment) => ({ session, environment: environment.name })));
  if (choices.length === 1) return choices[0];
  if (!choices.length) {
    const session = sessions[0]!;
    const environment = await vscode.window.showInputBox({ title: 'Environment name', prompt: 'The environment this context is for', value: 'default' });
    return environment === undefined ? undefined : { session, environment };
  }
  const picked = await vscode.window.showQuickPick(choices.map((choice) => ({
    label: choice.environment, description: sessions.length > 1 ? choice.session.folder?.name : undefined, choice,
  })), { title: 'Set the kube context of which environment?' });
  return picked?.choice;
}

/** No context to pick from: offers to point `driftline.kubeconfig` at a kubeconfig file. */
async function chooseKubeconfig(services: DriftlineServices, session: DriftSession): Promise<void> {
  const choose = 'Choose a kubeconfig file…';
  const answer = await vscode.window.showErrorMessage(
    'Driftline: no kube context found (setting driftline.kubeconfig, else KUBECONFIG, else ~/.kube/config).', choose);
  if (answer !== choose) return;
  const [file] = await vscode.window.showOpenDialog({ title: 'Kubeconfig file', canSelectMany: false, openLabel: 'Use this kubeconfig' }) ?? [];
  if (!file) return;
  const { configuration, target } = settingsOf(session);
  await configuration.update('kubeconfig', file.fsPath, target);
  services.log.info(`Using kubeconfig ${file.fsPath}`);
}
