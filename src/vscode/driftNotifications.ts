// A notification when something gets worse between two reports of a folder's session: an app that was in sync
// drifts, a Rollout or Canary becomes Degraded, a controller's reconcile starts failing (core/drift/reportTransitions.ts).
// "Show Diff" opens the object's diff as a click on its row does; "Show Status" reveals the app in the Drift view.
// The first report of an engine, and the first after a settings change, is a baseline, not news. An environment
// that notified stays quiet for driftline.notifications.quietMinutes: what changes meanwhile is in the view, and
// everything one report brings is folded into one message. driftline.notifications.enabled turns them off.
import * as vscode from 'vscode';
import { describeTransitions, reportTransitions, type Transition } from '../core/drift/reportTransitions';
import { messageOf } from '../core/errors';
import { sameObject } from '../core/identity';
import type { StatusReport } from '../core/model';
import type { DriftSessions } from './driftRoots';
import type { DriftSession } from './driftSession';
import type { DriftTreeProvider } from './driftTreeProvider';
import type { ResourceNode } from './driftTreeNodes';
import { findAppNode } from './findAppNode';
import type { ViewNode } from './preview/driftViewProvider';

export const SHOW_DIFF = 'Show Diff';
export const SHOW_STATUS = 'Show Status';

export class DriftNotifications implements vscode.Disposable {
  /** Per session root: the report the next one is compared with. */
  private readonly baselines = new Map<string, StatusReport>();
  /** Per session root and environment: when it last notified. */
  private readonly lastShown = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    sessions: DriftSessions,
    private readonly tree: DriftTreeProvider,
    private readonly treeView: vscode.TreeView<ViewNode>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      sessions.onDidChange((session) => this.reportChanged(session)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        for (const session of sessions.sessions) if (event.affectsConfiguration('driftline', session.folder)) this.baselines.delete(session.root);
      }),
    ];
  }

  private reportChanged(session: DriftSession): void {
    const report = session.state === 'ready' ? session.report : undefined;
    const baseline = this.baselines.get(session.root);
    if (!report) {
      this.baselines.delete(session.root); // a new engine (settings, trust) or no comparison: its first report is a baseline
      return;
    }
    if (report === baseline) return; // a failed refresh keeps the report it had
    this.baselines.set(session.root, report);
    const settings = vscode.workspace.getConfiguration('driftline', session.folder);
    if (!baseline || !settings.get<boolean>('notifications.enabled', true)) return;
    const quietMs = Math.max(0, settings.get<number>('notifications.quietMinutes', 10)) * 60_000;
    const now = Date.now();
    const byEnvironment = new Map<string, Transition[]>();
    for (const transition of reportTransitions(baseline, report)) {
      const key = `${session.root}\u0000${transition.environment}`;
      const last = this.lastShown.get(key);
      if (last !== undefined && now - last < quietMs) continue;
      byEnvironment.set(transition.environment, [...byEnvironment.get(transition.environment) ?? [], transition]);
    }
    if (!byEnvironment.size) return;
    for (const environment of byEnvironment.keys()) this.lastShown.set(`${session.root}\u0000${environment}`, now);
    const lines = [...byEnvironment].map(([environment, transitions]) => describeTransitions(environment, transitions));
    const first = [...byEnvironment.values()][0]![0]!;
    void vscode.window.showWarningMessage(`Driftline: ${lines.join(' · ')}`, SHOW_DIFF, SHOW_STATUS)
      .then((choice) => this.act(choice, session.root, first))
      .then(undefined, (error: unknown) => this.log.error(`notification: ${messageOf(error)}`));
  }

  private async act(choice: string | undefined, root: string, transition: Transition): Promise<void> {
    const app = findAppNode(this.tree, root, transition.environment, transition.app);
    if (!choice) return;
    if (!app) {
      void vscode.window.showInformationMessage(`Driftline: ${transition.app} in ${transition.environment} is no longer in the Drift view.`);
      return;
    }
    if (choice === SHOW_STATUS) return this.treeView.reveal(app, { select: true, focus: true, expand: true });
    const wanted = transition.resource;
    // The object's row when it is still there, as a click on it; else the whole app's diff.
    const row = wanted && this.tree.getChildren(app).find((node): node is ResourceNode => node.kind === 'resource' && sameObject(node.result, wanted));
    await vscode.commands.executeCommand('driftline.diff', row ?? app);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
