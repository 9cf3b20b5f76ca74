// What every command gets: the extension's services. A command is `{ id, run }` in a file of its own,
// listed once in commands/index.ts, which registers it with error reporting.
import * as vscode from 'vscode';
import type { DriftRoots } from '../driftRoots';
import { DriftSession } from '../driftSession';
import { DriftTreeProvider } from '../driftTreeProvider';
import { DriftNode } from '../driftTreeNodes';
import type { BranchPreview } from '../preview/branchPreview';
import type { ViewNode } from '../preview/driftViewProvider';
import type { PreviewTreeProvider } from '../preview/previewTreeProvider';
import { isPreviewNode } from '../preview/previewTreeNodes';

export interface DriftlineServices {
  readonly extensionContext: vscode.ExtensionContext;
  /** One session per workspace folder: commands act on the folder of the row they were invoked on. */
  readonly roots: DriftRoots;
  /** The first folder's session: all there is in a single-folder workspace. */
  readonly session: DriftSession;
  readonly tree: DriftTreeProvider;
  /** The Drift view: drift rows, or in preview mode the preview's rows. */
  readonly treeView: vscode.TreeView<ViewNode>;
  /** Preview mode: the branch preview shown, and its rows. */
  readonly preview: BranchPreview;
  readonly previewRows: PreviewTreeProvider;
  readonly log: vscode.LogOutputChannel;
  /** Kube context names from the kubeconfig configured for `folder` (default: the first), for pickers. */
  kubeContexts(folder?: vscode.WorkspaceFolder): string[];
}

export interface DriftlineCommand {
  readonly id: string;
  // Arguments come from menus (a tree node), the command palette (none) or other extensions.
  run(services: DriftlineServices, ...args: unknown[]): unknown;
}

/** The node a command acts on: its argument, else the view's selection. */
export function targetNode(services: DriftlineServices, argument: unknown): DriftNode | undefined {
  if (argument && typeof argument === 'object' && 'kind' in argument && 'result' in argument && !isPreviewNode(argument)) return argument as DriftNode;
  const [selected] = services.treeView.selection;
  return selected && !isPreviewNode(selected) ? selected : undefined;
}

/** The session (workspace folder) of a row; the first folder's without one. */
export function sessionOf(services: DriftlineServices, node: DriftNode | undefined): DriftSession {
  const session = node ? services.roots.session(node.root) : services.session;
  if (!session) throw new Error(`the folder of this row is no longer open (${node?.root})`);
  return session;
}

/** The sessions a command without a row may mean: the folders shown, else the first. */
export function shownSessions(services: DriftlineServices): DriftSession[] {
  const shown = services.roots.shown;
  return shown.length ? shown : [services.session];
}
