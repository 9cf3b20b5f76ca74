// What every command gets: the extension's services. A command is `{ id, run }` in a file of its own,
// listed once in commands/index.ts, which registers it with error reporting.
import * as vscode from 'vscode';
import { DriftSession } from '../driftSession';
import { DriftTreeProvider } from '../driftTreeProvider';
import { DriftNode } from '../driftTreeNodes';

export interface DriftlineServices {
  readonly extensionContext: vscode.ExtensionContext;
  readonly session: DriftSession;
  readonly tree: DriftTreeProvider;
  readonly treeView: vscode.TreeView<DriftNode>;
  readonly log: vscode.LogOutputChannel;
  /** Kube context names from the configured kubeconfig, for pickers. */
  kubeContexts(): string[];
}

export interface DriftlineCommand {
  readonly id: string;
  // Arguments come from menus (a tree node), the command palette (none) or other extensions.
  run(services: DriftlineServices, ...args: unknown[]): unknown;
}

/** The node a command acts on: its argument, else the view's selection. */
export function targetNode(services: DriftlineServices, argument: unknown): DriftNode | undefined {
  if (argument && typeof argument === 'object' && 'kind' in argument && 'result' in argument) return argument as DriftNode;
  return services.treeView.selection[0];
}
