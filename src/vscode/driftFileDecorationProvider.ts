// Explorer decorations: a file that defines objects which drift gets a badge and a colour, so drift is
// visible where the YAML is written.
import * as vscode from 'vscode';
import type { DriftSessions } from './driftRoots';

export class DriftFileDecorationProvider implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changeEmitter.event;
  private driftingFiles = new Map<string, number>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly sessions: DriftSessions) {
    this.subscription = sessions.onDidChange(() => this.update());
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const count = uri.scheme === 'file' ? this.driftingFiles.get(uri.fsPath) : undefined;
    if (!count) return undefined;
    const decoration = new vscode.FileDecoration('D', `Driftline: ${count} object(s) defined here drift from the cluster`,
      new vscode.ThemeColor('gitDecoration.modifiedResourceForeground'));
    return decoration;
  }

  private update(): void {
    const next = new Map<string, number>();
    const reports = this.sessions.sessions.flatMap((session) => (session.state === 'ready' && session.report ? [session.report] : []));
    for (const environment of reports.flatMap((report) => report.environments)) {
      for (const app of environment.apps) {
        for (const resource of app.resources) {
          if (resource.source && (resource.status === 'OutOfSync' || resource.status === 'Missing')) {
            next.set(resource.source.file, (next.get(resource.source.file) ?? 0) + 1);
          }
        }
      }
    }
    const changed = new Set([...this.driftingFiles.keys(), ...next.keys()]);
    for (const file of changed) if (this.driftingFiles.get(file) === next.get(file)) changed.delete(file);
    this.driftingFiles = next;
    if (changed.size) this.changeEmitter.fire([...changed].map((file) => vscode.Uri.file(file)));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
