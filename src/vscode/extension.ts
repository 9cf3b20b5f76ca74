// Driftline's activation: a wiring list. Each piece lives in its own file; this file only connects them
// and pushes every registration into context.subscriptions.
import * as vscode from 'vscode';
import { AutoRefresh } from './autoRefresh';
import { registerCommands } from './commands';
import { DriftlineServices } from './commands/command';
import { createDesiredDocumentProvider } from './desiredDocumentProvider';
import { registerDoctor } from './doctor';
import { DriftFileDecorationProvider } from './driftFileDecorationProvider';
import { DriftNotifications } from './driftNotifications';
import { DriftRoots } from './driftRoots';
import { DriftTreeProvider } from './driftTreeProvider';
import { engine } from './lazyEngine';
import { createLiveDocumentProvider } from './liveDocumentProvider';
import { registerPreviewMode } from './preview';
import { BranchPreview } from './preview/branchPreview';
import { DriftViewProvider, type ViewNode } from './preview/driftViewProvider';
import { readSettings } from './settings';
import { registerSops } from './sops';
import { DriftStatusBar } from './statusBar';

/** What activate() returns: the extension's services, for the tests that run inside VS Code. */
export interface DriftlineApi extends DriftlineServices {
  readonly statusBar: DriftStatusBar;
  readonly decorations: DriftFileDecorationProvider;
}

export function activate(context: vscode.ExtensionContext): DriftlineApi {
  const log = vscode.window.createOutputChannel('Driftline', { log: true });
  // One session (engine, settings, watches) per workspace folder; started past activate() (driftRoots.ts).
  const roots = new DriftRoots(log);
  const tree = new DriftTreeProvider(roots);
  // Preview mode shows a branch preview's rows in the same view (preview/driftViewProvider.ts).
  const preview = new BranchPreview();
  const view = new DriftViewProvider(tree, preview);
  const treeView = vscode.window.createTreeView<ViewNode>('driftline.drift', { treeDataProvider: view, showCollapseAll: true });
  const statusBar = new DriftStatusBar(roots);
  const autoRefresh = new AutoRefresh(roots);
  const live = createLiveDocumentProvider(roots);
  const desired = createDesiredDocumentProvider(roots);
  const decorations = new DriftFileDecorationProvider(roots);
  const services: DriftlineApi = {
    extensionContext: context, roots, tree, treeView, log, statusBar, decorations, preview, previewRows: view.previewRows,
    get session() { return roots.primary; },
    kubeContexts: (folder) => engine().listKubeContexts(readSettings(folder ?? roots.primary.folder).kubeconfig),
  };
  const setInterval = () => autoRefresh.setInterval(readSettings(roots.primary.folder).refreshIntervalSeconds);
  setInterval();
  context.subscriptions.push(
    log, roots, tree, preview, view, treeView, statusBar, autoRefresh, live, desired,
    vscode.workspace.registerTextDocumentContentProvider(live.scheme, live),
    vscode.workspace.registerTextDocumentContentProvider(desired.scheme, desired),
    decorations, vscode.window.registerFileDecorationProvider(decorations),
    ...registerCommands(services),
    ...registerDoctor(roots, log),
    new DriftNotifications(roots, tree, treeView, log),
    ...registerPreviewMode(preview, roots, treeView, () => viewMessage(roots)),
    roots.onDidChange(() => { if (!preview.active) treeView.message = viewMessage(roots); }),
    autoRefresh.onDidRefreshAfterChanges((session) => preview.filesChanged(session)),
    vscode.workspace.onDidChangeConfiguration((event) => { if (event.affectsConfiguration('driftline.refreshIntervalSeconds')) setInterval(); }),
  );
  registerSops(context);
  return services;
}

/**
 * The line above the tree: what keeps the one repo shown from comparing (a malformed kubeconfig), a failed
 * refresh, what discovery could not read, and restricted mode. (VS Code shows the welcome content only while
 * there is none; with several folders, each folder's row says how it is.)
 */
function viewMessage(roots: DriftRoots): string | undefined {
  const shown = roots.shown;
  const [only] = shown;
  if (shown.length === 1 && only!.problemMessage) {
    return `Cannot compare: ${only!.problemMessage}. Fix the file, or choose another kubeconfig (setting driftline.kubeconfig).`;
  }
  const lines: string[] = [];
  if (shown.length === 1 && only!.failureMessage) lines.push(`Last refresh failed: ${only!.failureMessage}`);
  const problems = shown.reduce((sum, session) => sum + (session.report?.problems?.length ?? 0), 0);
  if (problems) lines.push(`${problems} file(s) could not be read (see Driftline: Show Log)`);
  if (roots.state === 'ready' && !vscode.workspace.isTrusted) lines.push(RESTRICTED_MODE);
  return lines.length ? lines.join(' · ') : undefined;
}

const RESTRICTED_MODE = 'Restricted mode: plain YAML apps are compared, read-only; kustomize, Helm and gpg do not run and nothing is ' +
  'written to a cluster until you trust this workspace.';

export function deactivate(): void {}
