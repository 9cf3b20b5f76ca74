// Refreshes by itself: when files in the repo are saved, created or deleted (debounced, so a
// `git checkout` that touches 200 files causes one refresh of the folder they are in), and every
// `driftline.refreshIntervalSeconds`.
import * as vscode from 'vscode';
import type { DriftSessions } from './driftRoots';
import type { DriftSession } from './driftSession';

const DEBOUNCE_MS = 700;

export class AutoRefresh implements vscode.Disposable {
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/*');
  private readonly changedPaths = new Set<string>();
  private debounce: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  private readonly refreshedAfterChanges = new vscode.EventEmitter<DriftSession>();
  /** Fires once a folder's refresh for files saved, created or deleted there has ended (a working-tree preview follows). */
  readonly onDidRefreshAfterChanges = this.refreshedAfterChanges.event;

  constructor(private readonly sessions: DriftSessions & { sessionOfPath(fsPath: string): DriftSession | undefined }) {
    const changed = (uri: vscode.Uri) => this.fileChanged(uri);
    this.watcher.onDidChange(changed);
    this.watcher.onDidCreate(changed);
    this.watcher.onDidDelete(changed);
  }

  /** (Re)starts the periodic refresh; 0 turns it off. */
  setInterval(seconds: number): void {
    if (this.interval) clearInterval(this.interval);
    this.interval = seconds > 0 ? setInterval(() => { for (const session of this.sessions.sessions) void session.refresh(); }, seconds * 1000) : undefined;
  }

  private fileChanged(uri: vscode.Uri): void {
    // Git's own files and editor settings are not what the apps render from (settings changes that matter
    // rebuild the engine through onDidChangeConfiguration instead).
    if (uri.scheme !== 'file' || /[\\/]\.(git|vscode)([\\/]|$)/.test(uri.fsPath)) return;
    this.changedPaths.add(uri.fsPath);
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      const byFolder = new Map<DriftSession, string[]>();
      for (const file of this.changedPaths) {
        const session = this.sessions.sessionOfPath(file);
        if (session) byFolder.set(session, [...byFolder.get(session) ?? [], file]);
      }
      this.changedPaths.clear();
      for (const [session, paths] of byFolder) {
        session.filesChanged(paths);
        void session.refresh().finally(() => this.refreshedAfterChanges.fire(session));
      }
    }, DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    if (this.interval) clearInterval(this.interval);
    this.watcher.dispose();
    this.refreshedAfterChanges.dispose();
  }
}
