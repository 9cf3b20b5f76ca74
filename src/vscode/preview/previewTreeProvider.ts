// The rows of preview mode, read from the preview shown (branchPreview.ts): the environments with an app that
// changes, their changing apps, and each app's objects that change, in the order the head renders them.
import type { BranchPreview } from './branchPreview';
import { PreviewAppNode, PreviewEnvironmentNode, PreviewNode, PreviewObjectNode } from './previewTreeNodes';

export class PreviewTreeProvider {
  private parents = new Map<string, PreviewNode>();

  constructor(private readonly preview: BranchPreview) {}

  getChildren(node?: PreviewNode): PreviewNode[] {
    const shown = this.preview.shown;
    if (!shown) return [];
    const children = this.childrenOf(shown.session.root, node);
    for (const child of children) if (node) this.parents.set(child.id, node);
    return children;
  }

  getParent(node: PreviewNode): PreviewNode | undefined {
    return this.parents.get(node.id);
  }

  /** The row of an app in the preview, if the change touches it. */
  appNode(environment: string, app: string): PreviewAppNode | undefined {
    for (const environmentNode of this.getChildren()) {
      const found = this.getChildren(environmentNode).find((child): child is PreviewAppNode => child.kind === 'previewApp' && child.name === app && child.environment === environment);
      if (found) return found;
    }
    return undefined;
  }

  /** Forgets the parents of rows of a preview no longer shown. */
  reset(): void {
    this.parents = new Map();
  }

  private childrenOf(root: string, node: PreviewNode | undefined): PreviewNode[] {
    const result = this.preview.shown!.result;
    if (!node) {
      return result.environments.filter((environment) => environment.apps.some((app) => app.change !== 'unchanged'))
        .map((environment) => new PreviewEnvironmentNode(root, environment));
    }
    if (node.kind === 'previewEnvironment') {
      return node.result.apps.filter((app) => app.change !== 'unchanged').map((app) => new PreviewAppNode(root, app));
    }
    if (node.kind === 'previewApp') {
      return node.result.objects.filter((object) => object.change !== 'unchanged').map((object) => new PreviewObjectNode(root, node.result, object));
    }
    return [];
  }
}
