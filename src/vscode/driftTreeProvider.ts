// The Drift view: Environment -> App -> Resource, read from the session's latest report. A refresh keeps
// each row's node object and fires onDidChangeTreeData only for the rows whose data or children changed,
// so a large tree does not redraw (or collapse) when one resource drifts.
import * as vscode from 'vscode';
import { shownNames } from '../core/identity';
import { DriftSession } from './driftSession';
import { AppNode, DriftNode, EnvironmentNode, ResourceNode, appNodeId, environmentNodeId, resourceNodeId, toTreeItem } from './driftTreeNodes';

export class DriftTreeProvider implements vscode.TreeDataProvider<DriftNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<DriftNode | DriftNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly nodes = new Map<string, DriftNode>();
  private readonly fingerprints = new Map<string, string>();
  private roots: EnvironmentNode[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: DriftSession) {
    this.subscription = session.onDidChange(() => this.update());
  }

  getTreeItem(node: DriftNode): vscode.TreeItem {
    // The tooltip (with the time of the last refresh) is made on hover, by resolveTreeItem.
    return { ...toTreeItem(node, this.session.lastRefresh), tooltip: undefined };
  }

  resolveTreeItem(item: vscode.TreeItem, node: DriftNode): vscode.TreeItem {
    item.tooltip = toTreeItem(node, this.session.lastRefresh).tooltip;
    return item;
  }

  getChildren(node?: DriftNode): DriftNode[] {
    if (!node) return this.roots;
    if (node.kind === 'environment') return node.result.apps.map((app) => this.node(new AppNode(node.name, app)));
    if (node.kind === 'app') {
      const labels = shownNames(node.result.resources);
      return node.result.resources.map((resource, index) => this.node(new ResourceNode(node.environment, node.name, resource, labels[index])));
    }
    return [];
  }

  getParent(node: DriftNode): DriftNode | undefined {
    if (node.kind === 'environment') return undefined;
    const environment = this.nodes.get(environmentNodeId(node.environment));
    if (node.kind === 'app') return environment;
    return this.nodes.get(appNodeId(node.environment, node.app));
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
    return known;
  }

  private update(): void {
    const report = this.session.state === 'ready' ? this.session.report : undefined;
    const environments = report?.environments ?? [];
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
    this.roots = environments.map((environment) => this.node(new EnvironmentNode(environment)));
    for (const root of this.roots) visit(root, this.getChildren(root));
    for (const id of [...this.nodes.keys()]) {
      if (!seen.has(id)) {
        this.nodes.delete(id);
        this.fingerprints.delete(id);
      }
    }
    if (rootsBefore !== this.roots.map((root) => root.id).join('\n')) this.changeEmitter.fire(undefined);
    else if (changed.length) this.changeEmitter.fire(withoutDescendantsOf(changed));
  }

  dispose(): void {
    this.subscription.dispose();
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
    return JSON.stringify([row, resources.map((resource) => resourceNodeId(node.environment, node.name, resource))]);
  }
  const { apps, ...row } = node.result;
  return JSON.stringify([row, apps.map((app) => [app.name, app.status, app.counts])]);
}

/** A fired node redraws its subtree, so its changed descendants need not be fired too. */
function withoutDescendantsOf(nodes: DriftNode[]): DriftNode[] {
  const ids = new Set(nodes.map((node) => node.id));
  return nodes.filter((node) => {
    if (node.kind === 'app') return !ids.has(environmentNodeId(node.environment));
    if (node.kind === 'resource') return !ids.has(environmentNodeId(node.environment)) && !ids.has(appNodeId(node.environment, node.app));
    return true;
  });
}
