// The status bar item: which environment/context is compared and how much drifts. Clicking opens the view.
import * as vscode from 'vscode';
import { DriftSession } from './driftSession';
import { sumCounts } from '../core/drift/summarize';
import { describeCounts } from './driftTreeNodes';

export class DriftStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('driftline.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: DriftSession) {
    this.item.name = 'Driftline';
    this.item.command = 'driftline.drift.focus';
    this.subscription = session.onDidChange(() => this.update());
    this.update();
  }

  /** The text shown, e.g. `dev (admin): 3 drifted, 1 missing`; exposed for tests. */
  get text(): string { return this.item.text; }

  private update(): void {
    const report = this.session.state === 'ready' ? this.session.report : undefined;
    if (!report) {
      this.item.hide();
      return;
    }
    const environments = report.environments;
    const counts = sumCounts(environments.flatMap((environment) => environment.apps));
    const where = environments.length === 1
      ? `${environments[0].name} (${environments[0].context})`
      : `${environments.length} environments`;
    const drifting = counts.outOfSync + counts.missing + counts.extra;
    this.item.text = `$(${drifting ? 'git-compare' : 'check'}) ${where}: ${describeCounts(counts)}`;
    this.item.tooltip = environments.map((environment) => `${environment.name}: context ${environment.context}`).join('\n');
    this.item.backgroundColor = drifting ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
