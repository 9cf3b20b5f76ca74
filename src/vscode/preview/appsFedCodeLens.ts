// "feeds production/web, staging/web" above a YAML file that apps read: the apps whose last render read the
// file (affectedApps.ts), refreshed after every comparison. A click reveals the app in the Drift view, or
// with several lets the user choose one (Show Affected Apps).
import * as vscode from 'vscode';
import type { DriftSessions } from '../driftRoots';
import { affectedApps } from './affectedApps';

export const FEEDS_PREFIX = 'feeds ';

export class AppsFedCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly sessions: DriftSessions) {
    this.subscription = sessions.onDidChange(() => this.changeEmitter.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme !== 'file') return [];
    const apps = affectedApps(this.sessions, [document.uri.fsPath]);
    if (!apps.length) return [];
    const title = `${FEEDS_PREFIX}${apps.map((app) => `${app.environment}/${app.app}`).join(', ')}`;
    const [only] = apps;
    const command: vscode.Command = apps.length === 1
      ? { title, command: 'driftline.revealApp', arguments: [only!.session.root, only!.environment, only!.app], tooltip: 'Reveal the app in the Drift view' }
      : { title, command: 'driftline.showAffectedApps', arguments: [document.uri], tooltip: 'Choose an app to reveal in the Drift view' };
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), command)];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
