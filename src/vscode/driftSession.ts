// The one place the extension holds drift state: the latest StatusReport from the engine, when it was made,
// and why there is none. Views, documents, decorations and the status bar read it and listen to its events;
// none of them talks to the engine or the cluster. Refreshes are coalesced: a request made while one runs
// starts one more run after it, never two at once.
import * as vscode from 'vscode';
import { messageOf } from '../core/errors';
import { describeRef, refId, sameObject } from '../core/identity';
import { AppResult, EnvironmentResult, ObjectRef, RepoModel, ResourceResult, StatusReport } from '../core/model';
import type { WatchLiveOptions } from '../core/drift/engine';
import type { Workspace } from '../core/workspace';
import { DriftDocumentKey } from './driftUris';
import { showFetchProgress, type FetchProgressView } from './fetchProgress';

/** The part of the drift engine (src/core/drift/engine.ts) the extension uses. */
export interface DriftBackend {
  /** The workspace it compares: commands (sync, rollback, suspend) act on the same model, contexts and caches. */
  readonly workspace: Workspace;
  /** With a signal: rejects at once when it aborts (and the discovery stops when nobody else waits for it). */
  discover(signal?: AbortSignal): Promise<RepoModel>;
  /** With a signal: rejects at once when it aborts; renders stop, their tool processes are killed. */
  status(filter?: RefreshScope, signal?: AbortSignal): Promise<StatusReport>;
  filesChanged(paths: string[]): void;
  revealResource(environment: string, app: string, ref: ObjectRef): Promise<ResourceResult>;
  /** Calls `onChange(environment)` when live objects of an environment change (watches, re-targeted by status). */
  watchLive(onChange: (environment: string) => void, options?: WatchLiveOptions): { dispose(): void };
  /** Drops the engine's cluster connections. */
  close(): void;
}

/** Limits a refresh to one environment, or one app of it. */
export interface RefreshScope {
  environment?: string;
  app?: string;
}

/** Why there is nothing to compare: the state the welcome view explains, and what exactly is wrong when known. */
export interface SessionProblem {
  state: SessionState;
  /** Names the file and the cause (a malformed kubeconfig), shown above the view and logged. */
  reason?: string;
}

export type ProblemDetector = (signal?: AbortSignal) => Promise<SessionProblem | undefined>;

/** Why the view shows what it shows; mirrored in the `driftline.state` context key for the welcome views. */
export type SessionState = 'starting' | 'noRepo' | 'noCluster' | 'ready' | 'failed';

/** One workspace folder's drift: every folder of a multi-root workspace has a session of its own (driftRoots.ts). */
export class DriftSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<StatusReport | undefined>();
  /** Fires with the new report after every refresh (and with undefined when the state leaves `ready`). */
  readonly onDidChange = this.changed.event;
  private readonly activity = new vscode.EventEmitter<void>();
  /** Fires when `state` or `refreshing` changes (the view's context keys follow them). */
  readonly onDidChangeActivity = this.activity.event;
  private currentReport: StatusReport | undefined;
  private currentState: SessionState = 'starting';
  private failure: string | undefined;
  private problem: string | undefined;
  private lastRefreshAt: Date | undefined;
  private running: Promise<void> | undefined;
  private queued: QueuedRefresh | undefined;
  private abort: AbortController | undefined;
  private fetching: FetchProgressView | undefined;
  private readonly revealed = new Map<string, ResourceResult>();

  private backend: DriftBackend | undefined;
  /** Checked before the first comparison: why there is nothing to compare (no cluster, no repo). */
  private detectProblem: ProblemDetector = async () => undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    /** The workspace folder compared (undefined: none is open). */
    readonly folder?: vscode.WorkspaceFolder,
  ) {}

  /** Names this session's folder in node ids and document URIs. */
  get root(): string { return rootOf(this.folder); }

  get report(): StatusReport | undefined { return this.currentReport; }
  get state(): SessionState { return this.currentState; }
  /** The message of the last failed refresh, shown in the view's welcome content. */
  get failureMessage(): string | undefined { return this.failure; }
  /** What exactly keeps the view from comparing (a malformed kubeconfig, named), while the state says so. */
  get problemMessage(): string | undefined { return this.problem; }
  get lastRefresh(): Date | undefined { return this.lastRefreshAt; }
  /** The workspace the view compares, for commands; undefined while there is none (no folder). */
  get workspace(): Workspace | undefined { return this.backend?.workspace; }
  /** True while a comparison runs (the view shows Stop). */
  get refreshing(): boolean { return this.running !== undefined; }
  /** What the notification of the comparison's source fetches says now, if one is shown. */
  get fetchProgressMessage(): string | undefined { return this.fetching?.message; }
  /** True from the start of a comparison to its end, as onDidChangeActivity reports them (the `driftline.refreshing` key). */
  get comparing(): boolean { return this.abort !== undefined; }

  /** Replaces the engine (new settings, trust granted) and refreshes everything. */
  async reset(backend: DriftBackend | undefined, state?: SessionState, detectProblem?: ProblemDetector): Promise<void> {
    this.cancel();
    this.backend?.close();
    this.backend = backend;
    this.detectProblem = detectProblem ?? (async () => undefined);
    this.currentReport = undefined;
    this.problem = undefined;
    this.revealed.clear();
    this.setState(state ?? 'starting');
    if (backend) await this.refresh();
  }

  filesChanged(paths: string[]): void {
    this.backend?.filesChanged(paths);
  }

  /**
   * Asks the engine again (the whole report, or one environment or app). Resolves when a comparison that
   * started after this call has finished: a request made while one runs waits for one more run after it.
   */
  refresh(scope?: RefreshScope): Promise<void> {
    if (!this.running) {
      this.running = this.runRefresh(scope).finally(() => { this.running = undefined; });
      return this.running;
    }
    // A refresh asked for after Stop (a new engine's first one, say) runs, even behind the one Stop dropped.
    if (this.queued && !this.queued.dropped) {
      this.queued.scope = widen(this.queued.scope, scope);
      return this.queued.done;
    }
    const queued: QueuedRefresh = { scope, done: Promise.resolve() };
    queued.done = this.running.then(() => {
      if (this.queued === queued) this.queued = undefined;
      return queued.dropped ? undefined : this.refresh(queued.scope);
    });
    this.queued = queued;
    return queued.done;
  }

  /**
   * Stops the comparison in progress (the view's Stop button) at once: discovery and renders stop and their
   * tool processes are killed; the previous report stays. A refresh queued behind it does not start.
   */
  cancel(): void {
    // A refresh queued behind the stopped one (a second file event, say) would start the same work again.
    if (this.queued) this.queued.dropped = true;
    this.abort?.abort();
  }

  private async runRefresh(scope: RefreshScope | undefined): Promise<void> {
    const backend = this.backend;
    if (!backend) return;
    const what = scope?.app ? `${scope.environment}/${scope.app}` : scope?.environment ?? 'all environments';
    const abort = new AbortController();
    this.abort = abort;
    this.activity.fire();
    const started = Date.now();
    // Cancel in the notification stops this comparison, as Stop does: every fetch in flight is aborted.
    const fetching = showFetchProgress(backend.workspace.sourceFetches, () => abort.abort(), (line) => this.logLine('warn', line));
    this.fetching = fetching;
    try {
      await vscode.window.withProgress({ location: { viewId: 'driftline.drift' }, title: `Comparing ${what}` }, async () => {
        const problem = this.currentReport ? undefined : await this.detectProblem(abort.signal);
        if (problem) return this.showProblem(problem);
        this.problem = undefined;
        const report = await backend.status(scope, abort.signal);
        if (abort.signal.aborted || backend !== this.backend) return undefined;
        this.currentReport = scope && this.currentReport ? mergeReport(this.currentReport, report) : report;
        this.lastRefreshAt = new Date();
        this.failure = undefined;
        this.revealed.clear();
        this.logLine('info', `Compared ${what} in ${Date.now() - started} ms: ${summarize(this.currentReport)}`);
        for (const problem of report.problems ?? []) this.logLine('warn', `${problem.file}: ${problem.message}`);
        this.setState(this.currentReport.environments.length ? 'ready' : 'noRepo', false);
        return this.changed.fire(this.currentReport);
      });
    } catch (error) {
      if (abort.signal.aborted) {
        this.logLine('info', `Comparison of ${what} stopped`);
        // Stopped before there was any report: the view says so, not "Comparing..." until the next refresh.
        if (!this.currentReport && backend === this.backend) {
          this.failure = 'the comparison was stopped';
          this.setState('failed', false);
          this.changed.fire(undefined);
        }
        return;
      }
      this.failure = messageOf(error);
      this.logLine('error', `Comparing ${what} failed: ${this.failure}`);
      if (!this.currentReport) this.setState('failed', false);
      this.changed.fire(this.currentReport);
    } finally {
      fetching.dispose();
      if (this.fetching === fetching) this.fetching = undefined;
      if (this.abort === abort) this.abort = undefined;
      this.activity.fire();
    }
  }

  environment(name: string): EnvironmentResult | undefined {
    return this.currentReport?.environments.find((environment) => environment.name === name);
  }

  app(environment: string, name: string): AppResult | undefined {
    return this.environment(environment)?.apps.find((app) => app.name === name);
  }

  /** The resource a document key names: the revealed copy when the user asked for one. */
  resource(key: DriftDocumentKey): ResourceResult | undefined {
    if (!key.resource) return undefined;
    if (key.revealed) return this.revealed.get(revealKey(key));
    const wanted = key.resource;
    return this.app(key.environment, key.app)?.resources.find((resource) => sameObject(resource, wanted));
  }

  /** Fetches the resource with Secret values in clear; kept in memory until the next refresh. */
  async reveal(key: DriftDocumentKey): Promise<ResourceResult> {
    const resource = this.resource({ ...key, revealed: false });
    if (!this.backend || !resource) throw new Error(`Nothing to reveal: ${key.resource ? describeRef(key.resource) : `app ${key.app}`}`);
    const ref: ObjectRef = { apiVersion: resource.apiVersion, kind: resource.kind, name: resource.name };
    if (resource.namespace) ref.namespace = resource.namespace;
    const revealed = await this.backend.revealResource(key.environment, key.app, ref);
    this.revealed.set(revealKey(key), revealed);
    return revealed;
  }

  /** A line of the log, naming the folder when the workspace has several (they share one output channel). */
  private logLine(level: 'info' | 'warn' | 'error', text: string): void {
    const several = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    this.log[level](several && this.folder ? `[${this.folder.name}] ${text}` : text);
  }

  /** The welcome view for `problem.state`; its reason, when there is one, logged once and shown above the view. */
  private showProblem(problem: SessionProblem): void {
    const reasonChanged = problem.reason !== this.problem;
    this.problem = problem.reason;
    if (reasonChanged && problem.reason) this.logLine('error', `Cannot compare: ${problem.reason}`);
    const stateChanged = problem.state !== this.currentState;
    this.setState(problem.state);
    if (reasonChanged && !stateChanged) this.changed.fire(undefined);
  }

  private setState(state: SessionState, fire = true): void {
    const changed = state !== this.currentState;
    this.currentState = state;
    this.activity.fire();
    if (changed && fire) this.changed.fire(undefined);
  }

  dispose(): void {
    this.cancel();
    this.backend?.close();
    this.changed.dispose();
    this.activity.dispose();
    this.revealed.clear();
  }
}

/** The key of a workspace folder in node ids and document URIs: its URI (`''` without one). */
export function rootOf(folder: vscode.WorkspaceFolder | undefined): string {
  return folder?.uri.toString() ?? '';
}

interface QueuedRefresh {
  scope: RefreshScope | undefined;
  done: Promise<void>;
  /** Stop was pressed before it started: it does not run. */
  dropped?: boolean;
}

/** The smallest scope that covers both: the same app, else the same environment, else everything. */
function widen(a: RefreshScope | undefined, b: RefreshScope | undefined): RefreshScope | undefined {
  if (!a || !b || a.environment !== b.environment) return undefined;
  return a.app === b.app ? a : { environment: a.environment };
}

function revealKey(key: DriftDocumentKey): string {
  return [key.environment, key.app, key.resource ? refId(key.resource) : ''].join('\u0000');
}

/** Puts a narrower report's environments and apps in place of the ones they refresh. */
function mergeReport(previous: StatusReport, update: StatusReport): StatusReport {
  const environments = previous.environments.map((environment) => {
    const fresh = update.environments.find((candidate) => candidate.name === environment.name);
    if (!fresh) return environment;
    const apps = environment.apps.map((app) => fresh.apps.find((candidate) => candidate.name === app.name) ?? app);
    const added = fresh.apps.filter((app) => !environment.apps.some((known) => known.name === app.name));
    return { ...fresh, apps: [...apps, ...added] };
  });
  return { ...update, environments };
}

function summarize(report: StatusReport): string {
  const apps = report.environments.flatMap((environment) => environment.apps);
  const drifted = apps.filter((app) => app.status !== 'Synced').length;
  return `${report.environments.length} environment(s), ${apps.length} app(s), ${drifted} not in sync`;
}
