// The tree the Flux controllers build: a Kustomization applies the child Kustomizations and HelmReleases its build
// emits (FluxAppInfo.parent), as `flux tree kustomization` shows them; a Flux Operator ResourceSet is the parent of
// the ones it generates (FluxAppInfo.parentKind). Apps with no parent among the apps given
// (a cluster root, an Argo CD Application, a folder convention) are roots. The Drift view nests apps this way;
// `driftline tree` prints it. Counts roll up: a Kustomization's total is its own objects plus its descendants'.
import type { ControllerRef, FluxAppInfo, StatusCounts } from './model';

/** What placing an app in the tree needs: apps of one environment, by definition or by result. */
export interface TreeableApp {
  name: string;
  controller?: ControllerRef;
  flux?: FluxAppInfo;
}

export interface AppTreeNode<App extends TreeableApp> {
  app: App;
  children: AppTreeNode<App>[];
}

/** A parent's key: its kind (a Kustomization and a ResourceSet may share a name) and `<namespace>/<name>`, as FluxAppInfo names it. */
function parentKey(kind: 'Kustomization' | 'ResourceSet', name: string): string {
  return `${kind}:${name}`;
}

/** The apps of one environment as a forest, each level in the order the apps were given. */
export function buildAppTree<App extends TreeableApp>(apps: App[]): AppTreeNode<App>[] {
  const nodes = apps.map((app) => ({ app, children: [] as AppTreeNode<App>[] }));
  const parents = new Map<string, AppTreeNode<App>>();
  for (const node of nodes) {
    const controller = node.app.controller;
    if (controller?.kind === 'Kustomization' || controller?.kind === 'ResourceSet') {
      parents.set(parentKey(controller.kind, `${controller.namespace}/${controller.name}`), node);
    }
  }
  const parentOf = (node: AppTreeNode<App>) => {
    const flux = node.app.flux;
    return flux?.parent ? parents.get(parentKey(flux.parentKind ?? 'Kustomization', flux.parent)) : undefined;
  };
  const roots: AppTreeNode<App>[] = [];
  for (const node of nodes) {
    const parent = parentOf(node);
    // A parent chain that comes back to the node (a repo where two Kustomizations apply each other) has no root
    // of its own: the node is shown at the top rather than not at all.
    if (parent && !leadsBackTo(node, parent, parentOf)) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

function leadsBackTo<T>(node: T, start: T, parentOf: (node: T) => T | undefined): boolean {
  const seen = new Set<T>();
  for (let current: T | undefined = start; current && !seen.has(current); current = parentOf(current)) {
    if (current === node) return true;
    seen.add(current);
  }
  return false;
}

/** A node's counts with all its descendants'. */
export function rolledUpCounts<App extends TreeableApp & { counts: StatusCounts }>(node: AppTreeNode<App>): StatusCounts {
  const total = { ...node.app.counts };
  for (const child of node.children) {
    const counts = rolledUpCounts(child);
    for (const key of Object.keys(total) as (keyof StatusCounts)[]) total[key] += counts[key];
  }
  return total;
}

