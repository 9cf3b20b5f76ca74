// Finding an app's row in the Drift view by folder, environment and name, for the commands and notifications
// that reveal it.
import type { DriftTreeProvider } from './driftTreeProvider';
import type { AppNode } from './driftTreeNodes';

/** The app's row, wherever the layout puts it (nested under the Kustomization that applies it, in the tree layout). */
export function findAppNode(tree: DriftTreeProvider, root: string, environment: string, name: string): AppNode | undefined {
  const pending = [...tree.getChildren()];
  while (pending.length) {
    const node = pending.shift()!;
    if (node.root !== root || node.kind === 'resource') continue;
    if (node.kind === 'app' && node.environment === environment && node.name === name) return node;
    if (node.kind !== 'environment' || node.name === environment) pending.push(...tree.getChildren(node));
  }
  return undefined;
}
