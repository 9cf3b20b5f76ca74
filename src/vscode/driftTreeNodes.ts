// One class per kind of row in the Drift view. A node keeps its identity across refreshes (the tree
// provider updates `result` in place) so that VS Code can redraw just the rows whose data changed. Ids are
// built here only: a folder by its root (rootOf, driftSession.ts), an environment by root and name, an app by
// environment and name, a resource by environment, app and object identity (group included, version left
// out, so a row keeps its id when its apiVersion changes). Every node knows its root: commands act on the
// workspace folder of the row they were invoked on.
import * as vscode from 'vscode';
import type { AppTreeNode } from '../core/appTree';
import { describeRef, refId, type ObjectIdentity } from '../core/identity';
import { appStatus, sumCounts } from '../core/drift/summarize';
import { isRollout } from '../core/health/related';
import { controllerLines, describeProblem, runsSummary, type ControllerProblem } from '../core/health/describeControllerState';
import { appContextValue, environmentContextValue, folderContextValue, resourceContextValue } from './contextValues';
import type { AppResult, EnvironmentResult, ObjectRef, ResourceResult, StatusCounts, SyncStatus } from '../core/model';
import type { SessionState } from './driftSession';

export type DriftNode = FolderNode | EnvironmentNode | AppNode | ResourceNode | ControllerProblemNode;

export function folderNodeId(root: string): string {
  return `folder:${root}`;
}

export function environmentNodeId(root: string, environment: string): string {
  return `env:${root}|${environment}`;
}

export function appNodeId(root: string, environment: string, app: string): string {
  return `app:${root}|${environment}/${app}`;
}

export function controllerProblemNodeId(root: string, environment: string, app: string, problem: ControllerProblem): string {
  return `ctl:${root}|${environment}/${app}/${problem.kind}/${problem.namespace}/${problem.name}`;
}

export function resourceNodeId(root: string, environment: string, app: string, ref: ObjectRef | ObjectIdentity): string {
  return `res:${root}|${environment}/${app}/${refId(ref)}`;
}

/** What a folder's row shows in a multi-root workspace: its session's state and latest report. */
export interface FolderSummary {
  name: string;
  path: string;
  state: SessionState;
  environments: EnvironmentResult[];
  /** Why it does not compare (a malformed kubeconfig), or its last failure. */
  message?: string;
}

export class FolderNode {
  readonly kind = 'folder';
  constructor(readonly root: string, public result: FolderSummary) {}
  get id(): string { return folderNodeId(this.root); }
  get name(): string { return this.result.name; }
}

export class EnvironmentNode {
  readonly kind = 'environment';
  constructor(readonly root: string, public result: EnvironmentResult) {}
  get id(): string { return environmentNodeId(this.root, this.result.name); }
  get name(): string { return this.result.name; }
}

/**
 * Where an app row sits: under its environment, or (tree layout) under the Kustomization whose build applies it,
 * with the apps its own build applies as children and its counts rolled up over them.
 */
export interface AppPlacement {
  /** The parent app's name; absent at the top of the environment. */
  parent?: string;
  children: AppTreeNode<AppResult>[];
  /** The app's counts with its descendants'. */
  total: StatusCounts;
}

export class AppNode {
  readonly kind = 'app';
  constructor(readonly root: string, readonly environment: string, public result: AppResult, public placement: AppPlacement) {}
  get id(): string { return appNodeId(this.root, this.environment, this.result.name); }
  get name(): string { return this.result.name; }
}

export class ResourceNode {
  readonly kind = 'resource';
  constructor(
    readonly root: string,
    readonly environment: string,
    readonly app: string,
    public result: ResourceResult,
    /** `Kind/name`, with the group when the app has that kind in two groups (identity.ts `shownNames`). */
    public label: string,
  ) {}
  get id(): string { return resourceNodeId(this.root, this.environment, this.app, this.result); }
  get isSecret(): boolean { return this.result.kind === 'Secret' && this.result.apiVersion === 'v1'; }
}

/** A warning row under an app: its controller or the source it reads reports a failed reconcile (Ready=False). */
export class ControllerProblemNode {
  readonly kind = 'controllerProblem';
  constructor(readonly root: string, readonly environment: string, readonly app: string, public result: ControllerProblem) {}
  get id(): string { return controllerProblemNodeId(this.root, this.environment, this.app, this.result); }
}

const statusIcons: Record<SyncStatus, [icon: string, color: string]> = {
  Synced: ['pass', 'testing.iconPassed'],
  OutOfSync: ['diff-modified', 'gitDecoration.modifiedResourceForeground'],
  Missing: ['diff-removed', 'gitDecoration.deletedResourceForeground'],
  Extra: ['diff-added', 'gitDecoration.untrackedResourceForeground'],
  Unknown: ['question', 'problemsWarningIcon.foreground'],
};

export function statusIcon(status: SyncStatus): vscode.ThemeIcon {
  const [icon, color] = statusIcons[status];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

/** "3 drifted, 1 missing": only the statuses that are not Synced; "in sync" when none. */
export function describeCounts(counts: StatusCounts): string {
  const parts: string[] = [];
  if (counts.outOfSync) parts.push(`${counts.outOfSync} drifted`);
  if (counts.missing) parts.push(`${counts.missing} missing`);
  if (counts.extra) parts.push(`${counts.extra} extra`);
  if (counts.unknown) parts.push(`${counts.unknown} unknown`);
  return parts.length ? parts.join(', ') : 'in sync';
}


function environmentStatus(result: EnvironmentResult): SyncStatus {
  if (result.reason) return 'Unknown';
  const order: SyncStatus[] = ['OutOfSync', 'Missing', 'Extra', 'Unknown'];
  return order.find((status) => result.apps.some((app) => app.status === status)) ?? 'Synced';
}

/** The tree item for a node; `lastRefresh` is shown in tooltips. */
export function toTreeItem(node: DriftNode, lastRefresh: Date | undefined): vscode.TreeItem {
  const refreshed = lastRefresh ? `\n\nLast refresh: ${lastRefresh.toLocaleTimeString()}` : '';
  if (node.kind === 'folder') return folderItem(node, refreshed);
  if (node.kind === 'environment') return environmentItem(node, refreshed);
  if (node.kind === 'app') return appItem(node, refreshed);
  if (node.kind === 'controllerProblem') return controllerProblemItem(node, refreshed);
  return resourceItem(node, refreshed);
}

const folderStates: Record<SessionState, string> = {
  starting: 'comparing…',
  ready: '',
  noRepo: 'no GitOps repository',
  noCluster: 'no Kubernetes cluster found',
  failed: 'comparison failed',
};

function folderItem(node: FolderNode, refreshed: string): vscode.TreeItem {
  const { name, path, state, environments, message } = node.result;
  // Expanded from the start (VS Code keeps a row's first state): its environments arrive with the first comparison.
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  const ready = state === 'ready';
  item.iconPath = ready ? statusIcon(folderStatus(environments)) : new vscode.ThemeIcon(state === 'starting' ? 'loading~spin' : 'warning');
  const summary = ready ? `${environments.length} environment(s) · ${describeCounts(sumCounts(environments.flatMap((environment) => environment.apps)))}` : folderStates[state];
  item.description = message ? `${summary}: ${message}` : summary;
  item.contextValue = folderContextValue();
  const tooltip = new vscode.MarkdownString('**Folder** ').appendText(name).appendMarkdown('\n\n').appendText(path);
  if (message) tooltip.appendMarkdown('\n\n').appendText(message);
  item.tooltip = tooltip.appendMarkdown(refreshed);
  return item;
}

function folderStatus(environments: EnvironmentResult[]): SyncStatus {
  const order: SyncStatus[] = ['OutOfSync', 'Missing', 'Extra', 'Unknown'];
  const statuses = environments.map(environmentStatus);
  return order.find((status) => statuses.includes(status)) ?? 'Synced';
}

function environmentItem(node: EnvironmentNode, refreshed: string): vscode.TreeItem {
  const result = node.result;
  const item = new vscode.TreeItem(result.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  item.iconPath = statusIcon(environmentStatus(result));
  item.description = result.reason ? `${result.context}: ${result.reason}` : `${result.context} · ${describeCounts(sumCounts(result.apps))}`;
  item.contextValue = environmentContextValue(result);
  const tooltip = new vscode.MarkdownString(`**Environment ${result.name}**${result.protected ? ' (protected)' : ''}\n\n`);
  tooltip.appendMarkdown(`Kube context: \`${result.context}\``);
  if (result.reason) tooltip.appendMarkdown(`\n\nUnknown: `).appendText(result.reason);
  item.tooltip = tooltip.appendMarkdown(refreshed);
  return item;
}

/** `flux-system/infra` -> `infra`: dependsOn names read shorter without the namespace the tooltip gives. */
const shortName = (key: string) => key.slice(key.indexOf('/') + 1);

function appItem(node: AppNode, refreshed: string): vscode.TreeItem {
  const { result, placement } = node;
  const nested = placement.children.length > 0;
  const state = result.resources.length || nested ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(result.name, state);
  item.id = node.id;
  // Collapsed, a Kustomization says what happens below it: drift in a grandchild shows at every level above.
  const status = nested ? appStatus(placement.total, result.reason) : result.status;
  item.iconPath = statusIcon(status);
  const counts = result.reason && status === 'Unknown' ? `Unknown: ${result.reason}` : describeCounts(placement.total);
  const flux = result.flux;
  item.description = [flux?.suspend ? 'suspended in Git' : undefined, counts, runsSummary(result),
    flux?.dependsOn.length ? `after ${flux.dependsOn.map(shortName).join(', ')}` : undefined, result.sourceNote].filter(Boolean).join(' · ');
  item.contextValue = appContextValue(result);
  const tooltip = new vscode.MarkdownString(`**${result.name}** in ${node.environment}: ${status}\n\n`);
  tooltip.appendMarkdown(`Renderer: ${result.renderer} · Path: `).appendText(result.path);
  tooltip.appendMarkdown(`\n\n${describeCounts(result.counts)} (${result.counts.synced} in sync)`);
  if (nested) tooltip.appendMarkdown(`; with the ${countApps(placement.children)} app(s) its build applies: ${describeCounts(placement.total)}`);
  if (flux?.parent) tooltip.appendMarkdown(`\n\n${flux.parentKind === 'ResourceSet' ? 'Generated by ResourceSet' : 'Applied by Kustomization'} `).appendText(flux.parent);
  if (flux?.dependsOn.length) tooltip.appendMarkdown('\n\nDepends on ').appendText(flux.dependsOn.join(', '));
  if (flux?.suspend) tooltip.appendMarkdown('\n\nSuspended in Git (spec.suspend: true)');
  if (result.reason) tooltip.appendMarkdown('\n\nReason: ').appendText(result.reason);
  if (result.sourceNote) tooltip.appendMarkdown('\n\n').appendText(result.sourceNote);
  appendWhatRuns(tooltip, result);
  item.tooltip = tooltip.appendMarkdown(refreshed);
  return item;
}

/** What the cluster runs, and the commits it lacks (newest first, those that touch the app marked). */
function appendWhatRuns(tooltip: vscode.MarkdownString, result: AppResult): void {
  const lines = controllerLines(result);
  if (lines.length === 0) return;
  tooltip.appendMarkdown('\n\n**What the cluster runs**');
  for (const line of lines) tooltip.appendMarkdown('\n\n').appendText(line);
  const behind = result.controller ? result.controller.behind : result.directSync?.behind;
  const shown = behind?.commits.slice(0, MAX_TOOLTIP_COMMITS) ?? [];
  for (const commit of shown) {
    tooltip.appendMarkdown('\n- `').appendText(commit.sha.slice(0, 7)).appendMarkdown('` ').appendText(commit.subject);
    if (commit.touchesApp) tooltip.appendMarkdown(' *(touches this app)*');
  }
  if (behind && behind.count > shown.length) tooltip.appendMarkdown(`\n- … and ${behind.count - shown.length} more`);
}

const MAX_TOOLTIP_COMMITS = 10;

function controllerProblemItem(node: ControllerProblemNode, refreshed: string): vscode.TreeItem {
  const problem = node.result;
  const item = new vscode.TreeItem(`${problem.kind} ${problem.namespace}/${problem.name}`, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.description = describeProblem(problem);
  item.contextValue = 'controllerProblem';
  const tooltip = new vscode.MarkdownString('**').appendText(`${problem.kind} ${problem.namespace}/${problem.name}`).appendMarkdown('** reports a failed reconcile\n\n');
  item.tooltip = tooltip.appendText(describeProblem(problem)).appendMarkdown(refreshed);
  return item;
}

function countApps(nodes: AppTreeNode<AppResult>[]): number {
  return nodes.reduce((sum, node) => sum + 1 + countApps(node.children), 0);
}

function resourceItem(node: ResourceNode, refreshed: string): vscode.TreeItem {
  const result = node.result;
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.iconPath = statusIcon(result.status);
  const health = result.health === result.status ? undefined : result.health;
  item.description = [result.status, health, result.healthSummary, result.namespace].filter(Boolean).join(' · ');
  item.contextValue = resourceContextValue({
    status: result.status, hasSource: !!result.source, isLiveSecret: node.isSecret && !!result.live, isLiveRollout: !!result.live && isRollout(result),
  });
  const tooltip = new vscode.MarkdownString(`**`).appendText(describeRef(result)).appendMarkdown(`** (${result.apiVersion}): ${result.status}`);
  if (result.health) tooltip.appendMarkdown(` · ${result.health}`);
  if (result.healthMessage) tooltip.appendMarkdown('\n\n').appendText(result.healthMessage);
  if (result.reason) tooltip.appendMarkdown(result.status === 'Unknown' ? '\n\nWhy unknown: ' : '\n\nReason: ').appendText(result.reason);
  if (result.changedPaths?.length) tooltip.appendMarkdown('\n\nChanged: ').appendText(result.changedPaths.slice(0, 8).join(', '));
  if (result.comparison === 'client-side') tooltip.appendMarkdown('\n\nCompared client-side (server-side dry-run not possible)');
  if (result.source) tooltip.appendMarkdown('\n\nDefined in ').appendText(`${result.source.file}${result.source.line ? `:${result.source.line}` : ''}`);
  item.tooltip = tooltip.appendMarkdown(refreshed);
  if (result.live || result.desired) {
    item.command = { command: 'driftline.diff', title: 'Open Diff', arguments: [node] };
  }
  return item;
}
