// The status bar item: which environment/context is compared and how much drifts (over every folder of a
// multi-root workspace). Clicking opens the view.
import * as vscode from 'vscode';
import type { EnvironmentResult } from '../core/model';
import type { DriftSessions } from './driftRoots';
import { sumCounts } from '../core/drift/summarize';
import { describeCounts } from './driftTreeNodes';

export class DriftStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('driftline.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly sessions: DriftSessions) {
    this.item.name = 'Driftline';
    this.item.command = 'driftline.drift.focus';
    this.subscription = sessions.onDidChange(() => this.update());
    this.update();
  }

  /** The text shown, e.g. `dev (admin): 3 drifted, 1 missing`; exposed for tests. */
  get text(): string { return this.item.text; }

  private update(): void {
    const ready = this.sessions.shown.filter((session) => session.state === 'ready' && session.report);
    if (!ready.length) {
      this.item.hide();
      return;
    }
    const several = ready.length > 1;
    const environments: (EnvironmentResult & { folder?: string })[] = ready.flatMap((session) =>
      session.report!.environments.map((environment) => (several ? { ...environment, folder: session.folder?.name } : environment)));
    const counts = sumCounts(environments.flatMap((environment) => environment.apps));
    const where = environments.length === 1
      ? `${environments[0].name} (${environments[0].context})`
      : `${environments.length} environments`;
    const drifting = counts.outOfSync + counts.missing + counts.extra;
    this.item.text = `$(${drifting ? 'git-compare' : 'check'}) ${where}: ${describeCounts(counts)}`;
    this.item.tooltip = environments.map((environment) =>
      `${environment.folder ? `${environment.folder}: ` : ''}${environment.name}: context ${environment.context}`).join('\n');
    this.item.backgroundColor = drifting ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
