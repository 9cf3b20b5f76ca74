// The workspace folders the Drift view compares: one DriftSession per folder, each with its own engine (its
// own core Workspace: model, contexts, clients, caches), settings read for that folder and cluster watches of
// its own. The view shows each folder that holds a GitOps repo as a root of its own when there are several;
// one looks as a single-folder workspace does. The welcome views and the view's context keys follow the
// folders together: `driftline.state` is the one repo's state, or `ready` when several are shown.
import * as vscode from 'vscode';
import { DriftSession, rootOf, type SessionState } from './driftSession';
import { engine } from './lazyEngine';
import { LiveRefresh } from './liveRefresh';
import { affectsEngine, affectsLiveRefresh, readSettings } from './settings';

/** What the views read: the sessions of the workspace's folders (DriftRoots), or one session alone (oneSession). */
export interface DriftSessions {
  /** Every session, in the order of the workspace's folders. */
  readonly sessions: DriftSession[];
  /** The sessions the view shows: folders that hold (or may yet turn out to hold) a GitOps repo. */
  readonly shown: DriftSession[];
  /** The session of a node's or document's root (rootOf(folder)). */
  session(root: string): DriftSession | undefined;
  /** Fires with the session whose report or state changed. */
  readonly onDidChange: vscode.Event<DriftSession>;
}

/** Given sessions as the views' source (a test's engines on folders of their own). */
export function fixedSessions(...sessions: DriftSession[]): DriftSessions {
  return {
    sessions,
    get shown() { return sessions.filter((session) => session.state !== 'noRepo'); },
    session: (root) => sessions.find((session) => session.root === root),
    onDidChange: (listener, thisArgs, disposables) => {
      const subscriptions = sessions.map((session) => session.onDidChange(() => listener.call(thisArgs, session)));
      const subscription = vscode.Disposable.from(...subscriptions);
      disposables?.push(subscription);
      return subscription;
    },
  };
}

export class DriftRoots implements DriftSessions, vscode.Disposable {
  private readonly entries = new Map<string, { session: DriftSession; liveRefresh: LiveRefresh; subscriptions: vscode.Disposable[] }>();
  private readonly changed = new vscode.EventEmitter<DriftSession>();
  /** Fires with the session whose report or state changed, and when folders come or go. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions = [
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.follow()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.startAll()),
      vscode.workspace.onDidChangeConfiguration((event) => this.configurationChanged(event)),
    ];
    this.follow();
  }

  /** Every session, in the order of the workspace's folders (one without a folder when none is open). */
  get sessions(): DriftSession[] {
    return [...this.entries.values()].map((entry) => entry.session);
  }

  /** The first folder's session: what a single-folder workspace compares. */
  get primary(): DriftSession {
    return this.sessions[0]!;
  }

  /** The sessions the view shows: folders that hold (or may yet turn out to hold) a GitOps repo. */
  get shown(): DriftSession[] {
    return this.sessions.filter((session) => session.state !== 'noRepo');
  }

  /** Several folders are shown: each is a root row of its own. */
  get multiRoot(): boolean {
    return this.shown.length > 1;
  }

  /** The session of a node's or document's root (rootOf(folder)). */
  session(root: string): DriftSession | undefined {
    return this.entries.get(root)?.session;
  }

  /** The session whose folder holds `fsPath`, the innermost when folders nest. */
  sessionOfPath(fsPath: string): DriftSession | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(fsPath));
    return folder ? this.session(rootOf(folder)) : undefined;
  }

  /** Watches restarted (or stopped) with the settings' new values; refresh intervals go to AutoRefresh. */
  liveRefreshOf(session: DriftSession): LiveRefresh | undefined {
    return this.entries.get(session.root)?.liveRefresh;
  }

  /** (Re)builds every session's engine: trust granted, or the first start. */
  startAll(): void {
    void vscode.commands.executeCommand('setContext', 'driftline.restricted', !vscode.workspace.isTrusted);
    for (const session of this.sessions) void this.start(session);
  }

  /**
   * (Re)builds a folder's engine from its settings. In an untrusted workspace (restricted mode) the engine runs
   * no tool (kustomize, helm, gpg, sops: plain YAML apps compare, the others say what they need) and commands
   * write nothing; granting trust rebuilds it with tools allowed. The engine's code is loaded here, after
   * activate() has returned (the first await), not while VS Code waits for the activation.
   */
  private async start(session: DriftSession): Promise<void> {
    const folder = session.folder;
    const liveRefresh = this.liveRefreshOf(session);
    if (!folder) return session.reset(undefined, 'noRepo');
    const settings = readSettings(folder);
    await Promise.resolve(); // from here on past activate(): the engine loads as part of the first comparison
    if (this.session(session.root) !== session) return undefined; // the folder was closed meanwhile
    const { createBackend, problemDetector } = engine();
    const backend = createBackend(folder, settings, this.log);
    liveRefresh?.follow(backend, settings);
    return session.reset(backend, undefined, problemDetector(backend, settings));
  }

  /** Sessions for the workspace's folders now: new folders start, closed ones are disposed. */
  private follow(): void {
    const folders: (vscode.WorkspaceFolder | undefined)[] = vscode.workspace.workspaceFolders?.length ? [...vscode.workspace.workspaceFolders] : [undefined];
    const wanted = new Map(folders.map((folder) => [rootOf(folder), folder]));
    for (const [root, entry] of this.entries) {
      if (wanted.has(root)) continue;
      this.entries.delete(root);
      entry.liveRefresh.dispose();
      entry.session.dispose();
      for (const subscription of entry.subscriptions) subscription.dispose();
    }
    const started: DriftSession[] = [];
    const entries = new Map<string, { session: DriftSession; liveRefresh: LiveRefresh; subscriptions: vscode.Disposable[] }>();
    for (const [root, folder] of wanted) {
      const known = this.entries.get(root);
      if (known) {
        entries.set(root, known);
        continue;
      }
      const session = new DriftSession(this.log, folder);
      const liveRefresh = new LiveRefresh(session, this.log);
      const subscriptions = [
        session.onDidChange(() => this.changed.fire(session)),
        session.onDidChangeActivity(() => this.updateContextKeys()),
      ];
      entries.set(root, { session, liveRefresh, subscriptions });
      started.push(session);
    }
    // In the order of the workspace's folders.
    this.entries.clear();
    for (const [root, entry] of entries) this.entries.set(root, entry);
    void vscode.commands.executeCommand('setContext', 'driftline.restricted', !vscode.workspace.isTrusted);
    for (const session of started) void this.start(session);
    this.updateContextKeys();
    if (this.sessions.length) this.changed.fire(this.primary);
  }

  private configurationChanged(event: vscode.ConfigurationChangeEvent): void {
    for (const session of this.sessions) {
      const folder = session.folder;
      if (!folder) continue;
      if (affectsEngine(event, folder)) {
        void this.start(session);
        continue;
      }
      if (affectsLiveRefresh(event, folder)) this.liveRefreshOf(session)?.configure(readSettings(folder));
    }
  }

  /** The view's context keys, for the welcome views and the Stop button: the shown folders' together. */
  private updateContextKeys(): void {
    void vscode.commands.executeCommand('setContext', 'driftline.state', this.state);
    void vscode.commands.executeCommand('setContext', 'driftline.refreshing', this.sessions.some((session) => session.comparing));
  }

  /** One shown folder: its state; several: `ready` (their rows say how each is); none: `noRepo`, or `starting` while one may still be. */
  get state(): SessionState {
    const shown = this.shown;
    if (shown.length === 1) return shown[0]!.state;
    if (shown.length > 1) return 'ready';
    return 'noRepo';
  }

  dispose(): void {
    for (const entry of this.entries.values()) {
      entry.liveRefresh.dispose();
      entry.session.dispose();
      for (const subscription of entry.subscriptions) subscription.dispose();
    }
    this.entries.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
