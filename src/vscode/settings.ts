// The `driftline.*` settings, read in one place. Paths may use ~ and ${workspaceFolder}.
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

export interface DriftlineSettings {
  kubeconfig?: string;
  contexts: Record<string, string>;
  kustomizePath?: string;
  helmPath?: string;
  /** driftline.jsonnetPath: the jsonnet that evaluates Argo CD directory sources' .jsonnet files. */
  jsonnetPath?: string;
  /** driftline.sops.ageKeyFile: an age identity file tried first when SOPS-encrypted manifests are decrypted. */
  sopsAgeKeyFile?: string;
  refreshIntervalSeconds: number;
  concurrency: number;
  /** driftline.watchCluster: refresh when the cluster changes (watches), not only on file changes. */
  watchCluster: boolean;
  /** driftline.maxClusterWatches: watches open at most; lists beyond them are seen at the next refresh. */
  maxClusterWatches: number;
}

/** A path setting with `~` and `${workspaceFolder}` expanded; relative paths are relative to the folder. */
export function resolveSettingPath(value: string | undefined, folder: vscode.WorkspaceFolder | undefined): string | undefined {
  if (!value?.trim()) return undefined;
  const expanded = value.replace(/^~(?=$|[/\\])/, os.homedir()).replace(/\$\{workspaceFolder\}/g, folder?.uri.fsPath ?? '');
  return folder && !path.isAbsolute(expanded) && !expanded.includes(path.delimiter) ? path.join(folder.uri.fsPath, expanded) : expanded;
}

export function readSettings(folder: vscode.WorkspaceFolder | undefined): DriftlineSettings {
  const configuration = vscode.workspace.getConfiguration('driftline', folder);
  const resolvePath = (value: string | undefined) => resolveSettingPath(value, folder);
  return {
    kubeconfig: resolvePath(configuration.get<string>('kubeconfig')),
    contexts: configuration.get<Record<string, string>>('contexts', {}),
    kustomizePath: resolvePath(configuration.get<string>('kustomizePath')),
    helmPath: resolvePath(configuration.get<string>('helmPath')),
    jsonnetPath: resolvePath(configuration.get<string>('jsonnetPath')),
    sopsAgeKeyFile: resolvePath(configuration.get<string>('sops.ageKeyFile')),
    refreshIntervalSeconds: Math.max(0, configuration.get<number>('refreshIntervalSeconds', 0)),
    concurrency: Math.max(1, configuration.get<number>('concurrency', 4)),
    watchCluster: configuration.get<boolean>('watchCluster', true),
    maxClusterWatches: Math.max(0, configuration.get<number>('maxClusterWatches', 100)),
  };
}

/** driftline.view.layout: apps nested as the Flux controllers apply them, or one list per environment. */
export type ViewLayout = 'tree' | 'list';
export const VIEW_LAYOUT_SETTING = 'view.layout';

export function readViewLayout(): ViewLayout {
  return vscode.workspace.getConfiguration('driftline').get<string>(VIEW_LAYOUT_SETTING) === 'list' ? 'list' : 'tree';
}

/** Whether a configuration change concerns what the engine (of `folder`, when given) was built from. */
export function affectsEngine(event: vscode.ConfigurationChangeEvent, folder?: vscode.WorkspaceFolder): boolean {
  return ['kubeconfig', 'contexts', 'kustomizePath', 'helmPath', 'jsonnetPath', 'concurrency', 'sops.ageKeyFile']
    .some((name) => event.affectsConfiguration(`driftline.${name}`, folder));
}

/** Whether a configuration change concerns the cluster watches (they restart on the same engine). */
export function affectsLiveRefresh(event: vscode.ConfigurationChangeEvent, folder?: vscode.WorkspaceFolder): boolean {
  return event.affectsConfiguration('driftline.watchCluster', folder) || event.affectsConfiguration('driftline.maxClusterWatches', folder);
}
