// The Drift view: Environment -> App -> Resource, read from the sessions' latest reports; with several
// workspace folders that hold GitOps repos, one Folder row per repo above its environments. In the tree layout
// (driftline.view.layout) an app row also holds the apps its Flux build applies (core/appTree.ts). A refresh keeps
// each row's node object and fires onDidChangeTreeData only for the rows whose data or children changed,
// so a large tree does not redraw (or collapse) when one resource drifts.
import * as vscode from 'vscode';
import { buildAppTree, rolledUpCounts, type AppTreeNode } from '../core/appTree';
import { shownNames } from '../core/identity';
import type { AppResult } from '../core/model';
import type { DriftSessions } from './driftRoots';
import type { DriftSession } from './driftSession';
import { VIEW_LAYOUT_SETTING, readViewLayout, type ViewLayout } from './settings';
import { controllerProblems } from '../core/health/describeControllerState';
import {
  AppNode, ControllerProblemNode, DriftNode, EnvironmentNode, FolderNode, ResourceNode, appNodeId, environmentNodeId, folderNodeId, resourceNodeId, toTreeItem,
} from './driftTreeNodes';

export class DriftTreeProvider implements vscode.TreeDataProvider<DriftNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<DriftNode | DriftNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly nodes = new Map<string, DriftNode>();
  private readonly fingerprints = new Map<string, string>();
  private roots: (FolderNode | EnvironmentNode)[] = [];
  private readonly subscriptions: vscode.Disposable[];
  private layout: ViewLayout = readViewLayout();

  constructor(private readonly folders: DriftSessions) {
    this.subscriptions = [
      folders.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(`driftline.${VIEW_LAYOUT_SETTING}`)) return;
        this.layout = readViewLayout();
        this.update(true);
      }),
    ];
    this.update();
  }

  getTreeItem(node: DriftNode): vscode.TreeItem {
    // The tooltip (with the time of the last refresh) is made on hover, by resolveTreeItem.
    return { ...toTreeItem(node, this.sessionOf(node)?.lastRefresh), tooltip: undefined };
  }

  resolveTreeItem(item: vscode.TreeItem, node: DriftNode): vscode.TreeItem {
    item.tooltip = toTreeItem(node, this.sessionOf(node)?.lastRefresh).tooltip;
    return item;
  }

  /** The session (workspace folder) a row belongs to. */
  sessionOf(node: DriftNode): DriftSession | undefined {
    return this.folders.session(node.root);
  }

  getChildren(node?: DriftNode): DriftNode[] {
    if (!node) return this.roots;
    if (node.kind === 'folder') return node.result.environments.map((environment) => this.node(new EnvironmentNode(node.root, environment)));
    if (node.kind === 'environment') return this.topApps(node).map((app) => this.appNode(node.root, node.name, app));
    if (node.kind === 'app') {
      const labels = shownNames(node.result.resources);
      return [
        ...controllerProblems(node.result.controller).map((problem) => this.node(new ControllerProblemNode(node.root, node.environment, node.name, problem))),
        ...node.placement.children.map((child) => this.appNode(node.root, node.environment, child, node.name)),
        ...node.result.resources.map((resource, index) => this.node(new ResourceNode(node.root, node.environment, node.name, resource, labels[index]))),
      ];
    }
    return [];
  }

  /** The apps right under an environment: the roots of its Flux tree, or every app in the list layout. */
  private topApps(environment: EnvironmentNode): AppTreeNode<AppResult>[] {
    const { apps } = environment.result;
    return this.layout === 'tree' ? buildAppTree(apps) : apps.map((app) => ({ app, children: [] }));
  }

  private appNode(root: string, environment: string, tree: AppTreeNode<AppResult>, parent?: string): AppNode {
    const placement = { ...(parent ? { parent } : {}), children: tree.children, total: rolledUpCounts(tree) };
    return this.node(new AppNode(root, environment, tree.app, placement));
  }

  getParent(node: DriftNode): DriftNode | undefined {
    if (node.kind === 'folder') return undefined;
    if (node.kind === 'environment') return this.nodes.get(folderNodeId(node.root));
    const environment = this.nodes.get(environmentNodeId(node.root, node.environment));
    if (node.kind === 'app') return node.placement.parent ? this.nodes.get(appNodeId(node.root, node.environment, node.placement.parent)) : environment;
    return this.nodes.get(appNodeId(node.root, node.environment, node.app));
  }

  /** Returns the stored node with the same id, updated with the new data, or stores the new one. */
  private node<T extends DriftNode>(fresh: T): T {
    const known = this.nodes.get(fresh.id) as T | undefined;
    if (!known) {
      this.nodes.set(fresh.id, fresh);
      this.fingerprints.set(fresh.id, fingerprint(fresh));
      return fresh;
    }
    known.result = fresh.result;
    if (known.kind === 'resource' && fresh.kind === 'resource') known.label = fresh.label;
    if (known.kind === 'app' && fresh.kind === 'app') known.placement = fresh.placement;
    return known;
  }

  /** One repo: its environments at the top, as in a single-folder workspace; several: a row per folder. */
  private topRows(): (FolderNode | EnvironmentNode)[] {
    const shown = this.folders.shown;
    if (shown.length === 1) {
      const [session] = shown;
      const report = session!.state === 'ready' ? session!.report : undefined;
      return (report?.environments ?? []).map((environment) => this.node(new EnvironmentNode(session!.root, environment)));
    }
    return shown.map((session) => this.node(new FolderNode(session.root, {
      name: session.folder?.name ?? 'workspace',
      path: session.folder?.uri.fsPath ?? '',
      state: session.state,
      environments: session.state === 'ready' ? session.report?.environments ?? [] : [],
      ...(session.problemMessage ?? session.failureMessage ? { message: session.problemMessage ?? session.failureMessage } : {}),
    })));
  }

  /** `relayout`: the rows move (layout toggled), so the whole view redraws. */
  private update(relayout = false): void {
    const rootsBefore = this.roots.map((root) => root.id).join('\n');
    const seen = new Set<string>();
    const changed: DriftNode[] = [];
    const visit = (node: DriftNode, children: DriftNode[]) => {
      seen.add(node.id);
      const print = fingerprint(node);
      if (this.fingerprints.get(node.id) !== print) changed.push(node);
      this.fingerprints.set(node.id, print);
      for (const child of children) visit(child, this.getChildren(child));
    };
    this.roots = this.topRows();
    for (const root of this.roots) visit(root, this.getChildren(root));
    for (const id of [...this.nodes.keys()]) {
      if (!seen.has(id)) {
        this.nodes.delete(id);
        this.fingerprints.delete(id);
      }
    }
    if (relayout || rootsBefore !== this.roots.map((root) => root.id).join('\n')) this.changeEmitter.fire(undefined);
    else if (changed.length) this.changeEmitter.fire(withoutDescendantsOf(changed));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changeEmitter.dispose();
  }
}

/**
 * What a row shows (label, icon, description, menus, tooltip) plus who its children are: equal fingerprints need
 * no redraw. A resource's live and desired objects are left out (only whether it has them counts): they can be
 * large, and open diff documents refresh on their own.
 */
function fingerprint(node: DriftNode): string {
  if (node.kind === 'resource') {
    const { live, desired, ...row } = node.result;
    return JSON.stringify([node.label, row, live !== undefined, desired !== undefined]);
  }
  if (node.kind === 'app') {
    const { resources, ...row } = node.result;
    const { children, ...placement } = node.placement;
    return JSON.stringify([row, placement, children.map((child) => child.app.name), resources.map((resource) => resourceNodeId(node.root, node.environment, node.name, resource))]);
  }
  if (node.kind === 'controllerProblem') return JSON.stringify(node.result);
  if (node.kind === 'folder') {
    const { environments, ...row } = node.result;
    return JSON.stringify([row, environments.map((environment) => [environment.name, environment.reason, environment.apps.map((app) => [app.name, app.status, app.counts])])]);
  }
  const { apps, ...row } = node.result;
  return JSON.stringify([row, apps.map((app) => [app.name, app.status, app.counts])]);
}

/** A fired node redraws its subtree, so its changed descendants need not be fired too. */
function withoutDescendantsOf(nodes: DriftNode[]): DriftNode[] {
  const ids = new Set(nodes.map((node) => node.id));
  return nodes.filter((node) => {
    if (node.kind === 'folder') return true;
    const inFolder = ids.has(folderNodeId(node.root));
    if (node.kind === 'environment') return !inFolder;
    if (node.kind === 'app') return !inFolder && !ids.has(environmentNodeId(node.root, node.environment));
    return !inFolder && !ids.has(environmentNodeId(node.root, node.environment)) && !ids.has(appNodeId(node.root, node.environment, node.app));
  });
}
