// The Drift view's data: the drift tree (driftTreeProvider.ts), or in preview mode the preview's rows. Switching
// redraws the whole view; while a preview is shown, the drift tree's own updates are held back (the drift
// refreshes on, and is there as it is when preview mode ends).
import * as vscode from 'vscode';
import type { DriftNode } from '../driftTreeNodes';
import type { DriftTreeProvider } from '../driftTreeProvider';
import type { BranchPreview } from './branchPreview';
import { PreviewTreeProvider } from './previewTreeProvider';
import { isPreviewNode, previewTreeItem, type PreviewNode } from './previewTreeNodes';

/** A row of the Drift view in either mode. */
export type ViewNode = DriftNode | PreviewNode;

export class DriftViewProvider implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ViewNode | ViewNode[] | undefined | void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly previewRows: PreviewTreeProvider;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly drift: DriftTreeProvider, private readonly preview: BranchPreview) {
    this.previewRows = new PreviewTreeProvider(preview);
    this.subscriptions = [
      drift.onDidChangeTreeData((nodes) => { if (!preview.active) this.changeEmitter.fire(nodes); }),
      preview.onDidChange(() => {
        this.previewRows.reset();
        this.changeEmitter.fire(undefined);
      }),
    ];
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    return isPreviewNode(node) ? previewTreeItem(node) : this.drift.getTreeItem(node);
  }

  resolveTreeItem(item: vscode.TreeItem, node: ViewNode): vscode.TreeItem {
    return isPreviewNode(node) ? item : this.drift.resolveTreeItem(item, node);
  }

  getChildren(node?: ViewNode): ViewNode[] {
    if (this.preview.active) return node && !isPreviewNode(node) ? [] : this.previewRows.getChildren(node);
    return node && isPreviewNode(node) ? [] : this.drift.getChildren(node);
  }

  getParent(node: ViewNode): ViewNode | undefined {
    return isPreviewNode(node) ? this.previewRows.getParent(node) : this.drift.getParent(node);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changeEmitter.dispose();
  }
}
