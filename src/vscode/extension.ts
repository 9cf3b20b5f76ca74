// Driftline's activation: a wiring list. Each piece lives in its own file; this file only connects them
// and pushes every registration into context.subscriptions.
import * as vscode from 'vscode';
import { AutoRefresh } from './autoRefresh';
import { registerCommands } from './commands';
import { DriftlineServices } from './commands/command';
import { createDesiredDocumentProvider } from './desiredDocumentProvider';
import { DriftFileDecorationProvider } from './driftFileDecorationProvider';
import { DriftSession } from './driftSession';
import { DriftTreeProvider } from './driftTreeProvider';
import { engine } from './lazyEngine';
import { LiveRefresh } from './liveRefresh';
import { createLiveDocumentProvider } from './liveDocumentProvider';
import { affectsEngine, affectsLiveRefresh, readSettings } from './settings';
import { registerSops } from './sops';
import { DriftStatusBar } from './statusBar';

/** What activate() returns: the extension's services, for the tests that run inside VS Code. */
export interface DriftlineApi extends DriftlineServices {
  readonly statusBar: DriftStatusBar;
  readonly decorations: DriftFileDecorationProvider;
}

export function activate(context: vscode.ExtensionContext): DriftlineApi {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const log = vscode.window.createOutputChannel('Driftline', { log: true });
  const session = new DriftSession(log);
  const tree = new DriftTreeProvider(session);
  const treeView = vscode.window.createTreeView('driftline.drift', { treeDataProvider: tree, showCollapseAll: true });
  const statusBar = new DriftStatusBar(session);
  const autoRefresh = new AutoRefresh(session);
  const liveRefresh = new LiveRefresh(session, log);
  const live = createLiveDocumentProvider(session);
  const desired = createDesiredDocumentProvider(session);
  const decorations = new DriftFileDecorationProvider(session);
  const services: DriftlineApi = {
    extensionContext: context, session, tree, treeView, log, statusBar, decorations,
    kubeContexts: () => engine().listKubeContexts(readSettings(folder).kubeconfig),
  };
  context.subscriptions.push(
    log, session, tree, treeView, statusBar, autoRefresh, liveRefresh, live, desired,
    vscode.workspace.registerTextDocumentContentProvider(live.scheme, live),
    vscode.workspace.registerTextDocumentContentProvider(desired.scheme, desired),
    decorations, vscode.window.registerFileDecorationProvider(decorations),
    ...registerCommands(services),
    session.onDidChange(() => { treeView.message = viewMessage(session); }),
  );
  registerSops(context);

  // (Re)builds the engine from the settings. In an untrusted workspace (restricted mode) the engine runs no
  // tool (kustomize, helm, gpg, sops: plain YAML apps compare, the others say what they need) and commands
  // write nothing; granting trust rebuilds it with tools allowed. The engine's code is loaded here, after
  // activate() has returned (the first await), not while VS Code waits for the activation.
  const start = async () => {
    void vscode.commands.executeCommand('setContext', 'driftline.restricted', !vscode.workspace.isTrusted);
    if (!folder) return session.reset(undefined, 'noRepo');
    const settings = readSettings(folder);
    autoRefresh.setInterval(settings.refreshIntervalSeconds);
    await Promise.resolve(); // from here on past activate(): the engine loads as part of the first comparison
    const { createBackend, problemDetector } = engine();
    const backend = createBackend(folder, settings, log);
    liveRefresh.follow(backend, settings);
    return session.reset(backend, undefined, problemDetector(backend, settings));
  };
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void start()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsEngine(event)) return void start();
      if (event.affectsConfiguration('driftline.refreshIntervalSeconds')) autoRefresh.setInterval(readSettings(folder).refreshIntervalSeconds);
      if (affectsLiveRefresh(event)) liveRefresh.configure(readSettings(folder));
    }),
  );
  void start();
  return services;
}

/**
 * The line above the tree: a failed refresh, what keeps the view from comparing (a malformed kubeconfig), what
 * discovery could not read, and restricted mode. (VS Code shows the welcome content only while there is none.)
 */
function viewMessage(session: DriftSession): string | undefined {
  if (session.problemMessage) return `Cannot compare: ${session.problemMessage}. Fix the file, or choose another kubeconfig (setting driftline.kubeconfig).`;
  const lines: string[] = [];
  if (session.failureMessage) lines.push(`Last refresh failed: ${session.failureMessage}`);
  const problems = session.report?.problems ?? [];
  if (problems.length) lines.push(`${problems.length} file(s) could not be read (see Driftline: Show Log)`);
  if (session.state === 'ready' && !vscode.workspace.isTrusted) lines.push(RESTRICTED_MODE);
  return lines.length ? lines.join(' · ') : undefined;
}

const RESTRICTED_MODE = 'Restricted mode: plain YAML apps are compared, read-only; kustomize, Helm and gpg do not run and nothing is ' +
  'written to a cluster until you trust this workspace.';

export function deactivate(): void {}
