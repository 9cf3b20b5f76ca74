// Refreshes by itself when the cluster changes (`driftline.watchCluster`): the engine watches what the latest
// comparison listed and names the environment whose live objects changed; this waits until the changes
// settle and refreshes those environments. Every refresh re-targets the engine's watches (kinds and
// namespaces follow Git), and a refresh only reads (LISTs, dry-runs), so it causes no change of its own.
// While watches are lost (the cluster restarting, the network gone, a token expired) and reconnecting, the
// status bar and the log say so, naming the environments; the engine reconnects them by itself.
import * as vscode from 'vscode';
import type { WatchHealth } from '../core/drift/liveWatch';
import { DriftBackend, DriftSession } from './driftSession';
import { DriftlineSettings } from './settings';

/** Quiet time before a refresh, so that `kubectl apply` of ten objects causes one refresh. */
const SETTLE_MS = 1500;
/** A cluster that never goes quiet is still refreshed this long after its first change. */
const MAX_WAIT_MS = 10_000;

type WatchSettings = Pick<DriftlineSettings, 'watchCluster' | 'maxClusterWatches'>;

export class LiveRefresh implements vscode.Disposable {
  private backend: DriftBackend | undefined;
  private watching: { dispose(): void } | undefined;
  private readonly changed = new Set<string>();
  private firstChangeAt: number | undefined;
  private settle: NodeJS.Timeout | undefined;
  /** Per environment whose live updates are lost: what the status bar says about it. */
  private readonly lost = new Map<string, WatchHealth>();
  private readonly lostItem = vscode.window.createStatusBarItem('driftline.liveWatch', vscode.StatusBarAlignment.Left, 49);

  constructor(private readonly session: DriftSession, private readonly log: vscode.LogOutputChannel) {
    this.lostItem.name = 'Driftline live updates';
    this.lostItem.command = 'driftline.drift.focus';
    this.lostItem.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  /** Environments whose live updates are lost right now (the status bar shows them); exposed for tests. */
  get lostEnvironments(): string[] {
    return [...this.lost.keys()];
  }

  /** Follows the clusters of a new engine (undefined: none). */
  follow(backend: DriftBackend | undefined, settings: WatchSettings): void {
    this.backend = backend;
    this.configure(settings);
  }

  /** Restarts the watches with new settings on the same engine, from what its latest comparison listed. */
  configure(settings: WatchSettings): void {
    this.stop();
    if (!this.backend || !settings.watchCluster) return;
    this.watching = this.backend.watchLive((environment) => this.environmentChanged(environment), {
      maxWatches: settings.maxClusterWatches,
      onUnwatched: (unwatched, limit) => {
        if (unwatched) this.log.warn(`${unwatched} kind(s)/namespace(s) are not watched (driftline.maxClusterWatches is ${limit}): ` +
          'changes there show with driftline.refreshIntervalSeconds or Refresh');
      },
      onHealth: (health) => this.healthChanged(health),
    });
  }

  private healthChanged(health: WatchHealth): void {
    const { environment, context, lost, reason } = health;
    if (lost.length) {
      if (!this.lost.has(environment)) {
        this.log.warn(`Live updates of environment ${environment} lost (context ${context}: ${reason}): reconnecting; ` +
          `not followed meanwhile: ${lost.join(', ')}`);
      }
      this.lost.set(environment, health);
    } else if (this.lost.delete(environment)) {
      this.log.info(`Live updates of environment ${environment} are back (context ${context})`);
    }
    this.showLost();
  }

  private showLost(): void {
    if (this.lost.size === 0) {
      this.lostItem.hide();
      return;
    }
    const environments = [...this.lost.keys()];
    this.lostItem.text = `$(debug-disconnect) Live updates lost: ${environments.join(', ')} (reconnecting)`;
    this.lostItem.tooltip = [...this.lost.values()]
      .map((health) => `${health.environment} (context ${health.context}): ${health.reason ?? 'connection lost'}; not followed: ${health.lost.join(', ')}`)
      .join('\n');
    this.lostItem.show();
  }

  private environmentChanged(environment: string): void {
    this.changed.add(environment);
    this.firstChangeAt ??= Date.now();
    if (this.settle) clearTimeout(this.settle);
    const wait = Math.min(SETTLE_MS, Math.max(0, this.firstChangeAt + MAX_WAIT_MS - Date.now()));
    this.settle = setTimeout(() => this.refreshChanged(), wait);
  }

  private refreshChanged(): void {
    const environments = [...this.changed];
    this.changed.clear();
    this.firstChangeAt = undefined;
    this.settle = undefined;
    this.log.info(`Cluster changed in ${environments.join(', ')}: refreshing`);
    void this.session.refresh(environments.length === 1 ? { environment: environments[0] } : undefined);
  }

  private stop(): void {
    this.watching?.dispose();
    this.watching = undefined;
    this.lost.clear();
    this.showLost();
    if (this.settle) clearTimeout(this.settle);
    this.settle = undefined;
    this.changed.clear();
    this.firstChangeAt = undefined;
  }

  dispose(): void {
    this.stop();
    this.lostItem.dispose();
  }
}
