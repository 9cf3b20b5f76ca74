// Helpers for the suites that run inside the extension host: the extension's API, the demo repo it is
// opened on (scripts/demo-repo/demoRepo.mjs), and kubectl against the test cluster to drift objects live.
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DriftlineApi } from '../../src/vscode/extension';
import type { DriftNode } from '../../src/vscode/driftTreeNodes';

export const environment = 'dev';

export async function driftline(): Promise<DriftlineApi> {
  const extension = vscode.extensions.getExtension<DriftlineApi>('driftline.driftline');
  if (!extension) throw new Error('the Driftline extension is not loaded');
  return extension.activate();
}

/** The extension's API once its first comparison has finished. */
export async function readyDriftline(): Promise<DriftlineApi> {
  const api = await driftline();
  await waitFor(() => api.session.state !== 'starting', 'the first comparison');
  if (api.session.state !== 'ready') {
    throw new Error(`Driftline is ${api.session.state}: ${api.session.failureMessage ?? 'no failure message'}`);
  }
  return api;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder: run.mjs opens the demo repo');
  return folder.uri.fsPath;
}

export function repoFile(relative: string): string {
  return path.join(workspaceRoot(), relative);
}

/** Finds a node by labels from the root, e.g. ('dev', 'shop', 'ConfigMap/shop-settings'). */
export function findNode(api: DriftlineApi, ...labels: string[]): DriftNode {
  let node: DriftNode | undefined;
  for (const label of labels) {
    const children = api.tree.getChildren(node);
    node = children.find((child) => labelOf(api, child) === label);
    if (!node) {
      const known = children.map((child) => labelOf(api, child)).join(', ');
      throw new Error(`no row "${label}" under ${labels.slice(0, labels.indexOf(label)).join('/') || 'the root'} (rows: ${known})`);
    }
  }
  return node as DriftNode;
}

/** The sync status of a resource row. */
export function statusOf(node: DriftNode): string {
  if (node.kind !== 'resource') throw new Error(`${node.id} is not a resource`);
  return node.result.status;
}

export function labelOf(api: DriftlineApi, node: DriftNode): string {
  const label = api.tree.getTreeItem(node).label;
  return typeof label === 'string' ? label : label?.label ?? '';
}

/** kubectl as the test cluster's admin, in the namespace of an app of the demo repo. */
export function kubectl(app: string, ...args: string[]): string {
  const cluster = clusterInfo();
  const namespace = namespaceOf(app);
  return execFileSync('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', cluster.adminContext, '-n', namespace, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** The per-run namespace run.mjs gave an app of the demo repo. */
export function namespaceOf(app: string): string {
  const namespace = JSON.parse(process.env.DRIFTLINE_DEMO_NAMESPACES ?? '{}')[app];
  if (!namespace) throw new Error(`no namespace known for app ${app}: DRIFTLINE_DEMO_NAMESPACES is not set`);
  return namespace;
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The text of the two sides of the diff editor that is active now. */
export async function activeDiffTexts(): Promise<{ label: string; live: string; desired: string; liveUri: vscode.Uri }> {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  if (!(tab?.input instanceof vscode.TabInputTextDiff)) throw new Error(`the active tab is not a diff: ${tab?.label}`);
  const [live, desired] = await Promise.all([
    vscode.workspace.openTextDocument(tab.input.original),
    vscode.workspace.openTextDocument(tab.input.modified),
  ]);
  return { label: tab.label, live: live.getText(), desired: desired.getText(), liveUri: tab.input.original };
}

type WindowFunctions = Pick<typeof vscode.window, 'showQuickPick' | 'showInputBox' | 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage'>;

/** Replaces some of vscode.window's dialogs for the length of `work` (answering as the test decides), then restores them. */
export async function withDialogs<T>(answers: { [K in keyof WindowFunctions]?: (...args: never[]) => unknown }, work: () => Thenable<T> | Promise<T>): Promise<T> {
  const window = vscode.window as unknown as Record<string, unknown>;
  const originals = Object.fromEntries(Object.keys(answers).map((name) => [name, window[name]]));
  Object.assign(window, Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, async (...args: never[]) => answer?.(...args)])));
  try {
    return await work();
  } finally {
    Object.assign(window, originals);
  }
}

/** The test cluster run.mjs started (or reused) for this run. */
export function clusterInfo(): { kubeconfig: string; adminContext: string } {
  const cluster = JSON.parse(process.env.DRIFTLINE_TEST_CLUSTER_INFO ?? '{}');
  if (!cluster.kubeconfig) throw new Error('DRIFTLINE_TEST_CLUSTER_INFO is not set: run the suite with test/vscode/run.mjs');
  return cluster;
}
