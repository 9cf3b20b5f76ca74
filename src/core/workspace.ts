// One GitOps repository and the clusters it deploys to, owned once: its settings (resolved by the caller,
// the same for every feature), the repo model (one discovery shared by every caller), kubeconfig and kube
// contexts, one client per context, the render and prediction caches, and the concurrency. The drift engine,
// sync, rollback, suspend/resume, the CLI commands and the VS Code session all work through it, so a command
// acts on the very apps the view shows: none discovers, renders or resolves a context on its own.
import { promises as fs } from 'node:fs';
import { SharedWork } from './abort';
import { ClusterClient } from './cluster/client';
import { loadKubeConfig, type LoadedKubeConfig } from './cluster/kubeconfig';
import type { TransportOptions } from './cluster/transport';
import { whyRediscoverAny } from './discovery/changeAffectsDiscovery';
import { discoverRepo } from './discovery/discoverRepo';
import { resolveContext } from './discovery/resolveContext';
import type { AppDefinition, EnvironmentDefinition, RepoModel } from './model';
import type { DecryptSecret } from './render/options';
import { RenderCache, type RenderAppsOptions } from './render/renderApps';
import { decryptManifestIfSops } from './sops/manifest';
import { PredictionCache } from './drift/predictionCache';
import { fetchChart } from './sources/fetchChart';
import { fetchGit, remoteCommit } from './sources/gitFetch';
import { describeRef, type GitFetcher, type GitRequest } from './sources/gitTypes';
import { shownURL } from './sources/httpGet';
import { chartFetcherWithMirrors } from './sources/mirrors';
import type { ChartFetcher } from './sources/remoteChart';
import { SharedFetches } from './sources/sharedFetches';
import { chartFetchName, chartOutcome, gitFetchName, gitOutcome, SourceFetchProgress } from './sources/fetchProgress';
import { defaultCacheRoot, SourceCache } from './sources/sourceCache';

export interface WorkspaceOptions {
  /** Absolute path of the GitOps repository. */
  repoRoot: string;
  /** KUBECONFIG-style list of files (':'-separated); default $KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  /** Environment name -> kube context, overriding configuration and name matching (the view's "Set Kube Context"). */
  contextOverrides?: Record<string, string>;
  /** Requests (LISTs, dry-runs) in flight per environment, for status and sync alike (default 8). */
  concurrency?: number;
  /**
   * Send a dry-run for every object, even where the live object's managedFields prove the apply would change
   * nothing (default false: those objects need no request; provenUnchanged.ts).
   */
  alwaysDryRun?: boolean;
  /**
   * Rendering: tool paths (over the repo's `.driftline.yaml` tools), SOPS decryption, timeout, render concurrency,
   * and `allowTools: false` for an untrusted workspace (discovery and renders then run no tool; plain YAML apps
   * still compare, the others are Unknown naming the tool they need).
   */
  renderOptions?: Omit<RenderAppsOptions, 'cache'>;
  /** Progress and timing lines (never secret values). */
  log?: (line: string) => void;
  /** Time limits of every cluster request (default 30 s per request, 5 s to connect). */
  clusterTimeouts?: TransportOptions;
  /** Remote charts: the cache (default the user's, shared by CLI and VS Code), where credentials files are found, time limit per request. */
  sources?: SourceOptions;
}

export interface SourceOptions {
  /** Default defaultCacheRoot(): $DRIFTLINE_SOURCES_CACHE, else under $XDG_CACHE_HOME or ~/.cache. */
  cacheRoot?: string;
  /** Size limit of the cached chart archives (default 1 GiB). */
  cacheMaxBytes?: number;
  /** Size limit of the cached Git repositories and checkouts (default 2 GiB). */
  gitCacheMaxBytes?: number;
  /** Environment the credentials files are looked up with (default process.env). */
  env?: Record<string, string | undefined>;
  /** Longest one request to a source may take (default 60 s). */
  timeoutMs?: number;
  /** Sources fetched at once (default 6). */
  concurrency?: number;
}

export const DEFAULT_CONCURRENCY = 8;

/** A Git source a discovery fetched: what it asked for and the commit it got (or the cache gave, the remote being unreachable). */
interface FetchedGitSource {
  request: GitRequest;
  commit: string;
  fromCache: boolean;
}

/** An app found by name, with its environment and the model it came from. */
export interface LocatedApp {
  model: RepoModel;
  environment: EnvironmentDefinition;
  app: AppDefinition;
}

export class Workspace {
  readonly renderCache = new RenderCache();
  /** Keyed by desired hash and live resourceVersion: valid for any checkout of the repo, so shared with siblings. */
  readonly predictions: PredictionCache;
  /** Fetched charts on disk, shared with every other Driftline process of the user. */
  readonly sourceCache: SourceCache;
  /** Chart repository indexes and registry tag lists, fetched once for the many apps of a refresh. */
  private readonly sharedFetches: SharedFetches;
  /** Every fetch of a remote source, bounded and reported (the CLI's stderr, VS Code's progress); shared with siblings. */
  readonly sourceFetches: SourceFetchProgress;
  /** The repo model: one discovery shared by every caller, stopped when all callers waiting on it aborted. */
  private model: SharedWork<RepoModel> | undefined;
  /**
   * Files changed since `model` started, checked at the next discover(). Not checked at once: that check waits
   * for the discovery in progress, and a waiter nobody waits for would keep it (and its tools) running after
   * every caller stopped it.
   */
  private changedSince: { paths: string[]; renderInputs: Set<string> } | undefined;
  /** The Git sources of other repositories each model was discovered from, asked again on each refresh (discoverCurrent). */
  private readonly gitSources = new WeakMap<RepoModel, FetchedGitSource[]>();
  private kubeconfig: LoadedKubeConfig | undefined;
  private readonly clients: Map<string, ClusterClient>;
  /** A sibling (atRoot) uses its parent's clients: closing it leaves them to the parent. */
  private readonly ownsClients: boolean;

  constructor(readonly options: WorkspaceOptions, parent?: Workspace) {
    this.sourceCache = parent?.sourceCache ??
      new SourceCache(options.sources?.cacheRoot ?? defaultCacheRoot(options.sources?.env), options.sources?.cacheMaxBytes, options.sources?.gitCacheMaxBytes);
    this.predictions = parent?.predictions ?? new PredictionCache();
    this.sharedFetches = parent?.sharedFetches ?? new SharedFetches();
    this.sourceFetches = parent?.sourceFetches ?? new SourceFetchProgress(options.sources?.concurrency);
    this.clients = parent?.clients ?? new Map();
    this.ownsClients = !parent;
  }

  /**
   * The same repository checked out at another folder (a revision's scratch worktree, for a branch preview): its
   * own discovery and renders, sharing what is keyed by content (predictions, fetched sources) and the cluster
   * clients. `model`, when given, is taken as that checkout's discovery (the caller proved it the same).
   */
  atRoot(repoRoot: string, model?: RepoModel): Workspace {
    const sibling = new Workspace({ ...this.options, repoRoot }, this);
    if (model) sibling.model = new SharedWork(async () => model, () => undefined);
    return sibling;
  }

  get repoRoot(): string {
    return this.options.repoRoot;
  }

  get concurrency(): number {
    return this.options.concurrency ?? DEFAULT_CONCURRENCY;
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  /**
   * Environments and apps of the repo (kept until `filesChanged` says otherwise). With a signal, the call rejects
   * as soon as it aborts; the discovery itself (and the tools it runs) stops once no caller waits for it any more.
   */
  discover(signal?: AbortSignal): Promise<RepoModel> {
    return this.currentModel().wait(signal);
  }

  /** The discovery to wait for: the one in hand, checked against the files changed since it started. */
  private currentModel(): SharedWork<RepoModel> {
    const previous = this.model;
    const changed = this.changedSince;
    this.changedSince = undefined;
    if (!previous || previous.stopped) this.model = this.tracked((stop) => this.discoverNow(stop));
    else if (changed) this.model = this.tracked((stop) => this.keptOrRediscovered(previous, changed.paths, changed.renderInputs, stop));
    return this.model!;
  }

  /**
   * discover() for a refresh: when the model was built from Git sources of other repositories, the remotes are
   * asked first (`git ls-remote`, no fetch) whether a branch or tag moved, or a remote read from the cache is
   * back; then the next model is discovered afresh, fetching only the commits that changed.
   */
  async discoverCurrent(signal?: AbortSignal): Promise<RepoModel> {
    const held = this.currentModel();
    const model = await held.wait(signal).catch(() => undefined);
    signal?.throwIfAborted();
    const sources = model ? this.gitSources.get(model) : undefined;
    if (sources?.length && this.model === held) {
      const moved = await this.movedGitSource(sources, signal);
      if (moved && this.model === held) {
        this.log(`Git source changed: re-discover (${moved})`);
        this.changedSince = undefined;
        this.model = this.tracked((stop) => this.discoverNow(stop));
      }
    }
    return this.discover(signal);
  }

  /** Files changed: the next discover() re-discovers only when they may change what discovery finds. */
  filesChanged(paths: string[]): void {
    if (!this.model || this.model.stopped) return;
    // The render inputs as they are now: a render after the change may add the changed file as an input.
    this.changedSince ??= { paths: [], renderInputs: new Set() };
    this.changedSince.paths.push(...paths);
    for (const file of this.renderCache.inputFiles()) this.changedSince.renderInputs.add(file);
  }

  /** Render options for the apps of `model`: the caller's tools over the repo's, SOPS decrypted with sops' own keys by default. */
  renderOptionsFor(model: RepoModel): RenderAppsOptions {
    const options = this.options.renderOptions ?? {};
    return {
      decryptSecret: decryptWithDefaultKeys, log: this.options.log, fetchChart: chartFetcherWithMirrors(this.fetchChart, model.sourceMirrors), ...options,
      tools: { ...model.tools, ...options.tools }, cache: this.renderCache,
    };
  }

  /** A remote chart through the workspace's cache and the user's credentials; stopped by the caller's signal. */
  readonly fetchChart: ChartFetcher = (request, signal) => this.sourceFetches.run(chartFetchName(request), signal, () => fetchChart(request, {
    cache: this.sourceCache, env: this.options.sources?.env ?? process.env, signal, shared: this.sharedFetches,
    ...(this.options.sources?.timeoutMs ? { timeoutMs: this.options.sources.timeoutMs } : {}),
  }), chartOutcome);

  /** A Git source of another repository (or ref), checked out into the same cache with the user's own git; stopped by the caller's signal. */
  readonly fetchGit: GitFetcher = (request, signal) => this.sourceFetches.run(gitFetchName(request), signal, () => fetchGit(request, {
    cache: this.sourceCache, env: this.options.sources?.env ?? process.env, signal,
    ...(this.options.sources?.timeoutMs ? { timeoutMs: this.options.sources.timeoutMs } : {}),
  }), gitOutcome);

  /** Finds an app by name (and environment, required when the name is in several); the error lists the known ones. */
  async locate(appName: string, environmentName: string | undefined, signal?: AbortSignal): Promise<LocatedApp> {
    const model = await this.discover(signal);
    const environments = environmentName ? model.environments.filter((e) => e.name === environmentName) : model.environments;
    if (environmentName && environments.length === 0) {
      throw new WorkspaceError(`no environment "${environmentName}" in ${model.root} (environments: ${model.environments.map((e) => e.name).join(', ') || 'none'})`);
    }
    const matches = environments.flatMap((environment) => environment.apps.filter((a) => a.name === appName).map((app) => ({ environment, app })));
    if (matches.length === 0) {
      const known = [...new Set(environments.flatMap((e) => e.apps.map((a) => a.name)))].join(', ') || 'none';
      throw new WorkspaceError(`no app "${appName}" in ${environmentName ? `environment ${environmentName}` : model.root} (apps: ${known})`);
    }
    if (matches.length > 1) {
      throw new WorkspaceError(`app "${appName}" is in several environments (${matches.map((m) => m.environment.name).join(', ')}): choose one with --env`);
    }
    return { model, ...matches[0]! };
  }

  /** The kube context an environment is compared against: an explicit override, the user's choice, the config, else by name or the current one. */
  contextFor(environment: EnvironmentDefinition, override?: string): string {
    const chosen = override || this.options.contextOverrides?.[environment.name] || environment.context;
    if (chosen) return chosen;
    const kubeconfig = this.loadedKubeconfig();
    const context = resolveContext(environment, kubeconfig.listContexts().map((entry) => entry.name), kubeconfig.currentContext);
    if (!context) throw new WorkspaceError(`no kube context for environment ${environment.name}: kubeconfig ${kubeconfig.files.join(', ')} has no current context`);
    return context;
  }

  /** One client per context, kept for the workspace's life (close() drops them). */
  clientFor(context: string): ClusterClient {
    let client = this.clients.get(context);
    if (!client) {
      client = ClusterClient.forContext(this.loadedKubeconfig(), context, this.options.clusterTimeouts);
      this.clients.set(context, client);
    }
    return client;
  }

  /** After a cluster-level failure, read kubeconfig again next time: the user may have logged in anew. */
  forgetCredentials(context: string): void {
    this.clients.get(context)?.close();
    this.clients.delete(context);
    this.kubeconfig = undefined;
  }

  /** Drops idle connections so a short-lived process can exit. */
  close(): void {
    if (!this.ownsClients) return;
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private loadedKubeconfig(): LoadedKubeConfig {
    this.kubeconfig ??= this.options.kubeconfig ? loadKubeConfig(this.options.kubeconfig) : loadKubeConfig();
    return this.kubeconfig;
  }

  /** The model again when no change can alter discovery, else a new discovery. */
  private async keptOrRediscovered(previous: SharedWork<RepoModel>, paths: string[], renderInputs: ReadonlySet<string>, signal: AbortSignal): Promise<RepoModel> {
    const model = await previous.wait(signal).catch(() => undefined);
    signal.throwIfAborted();
    const reason = model ? await whyRediscoverAny(paths, model, renderInputs) : 'the previous discovery failed';
    if (!reason) return model!;
    this.log(`files changed: re-discover (${reason})`);
    return this.discoverNow(signal);
  }

  private async discoverNow(signal: AbortSignal): Promise<RepoModel> {
    await assertDirectory(this.options.repoRoot);
    const { tools, timeoutMs, allowTools } = this.options.renderOptions ?? {};
    const fetched: FetchedGitSource[] = [];
    const recording: GitFetcher = async (request, stop) => {
      const result = await this.fetchGit(request, stop);
      fetched.push({ request, commit: result.commit, fromCache: result.fromCache === true });
      return result;
    };
    const model = await discoverRepo(this.options.repoRoot, { tools, timeoutMs, allowTools, signal, fetchGit: recording });
    this.gitSources.set(model, fetched);
    // An app gone from the repo leaves the render cache: its objects are not kept, and its files no longer
    // count as render inputs when deciding what a file change affects.
    this.renderCache.retainOnly(model.environments.flatMap((environment) => environment.apps));
    return model;
  }

  /** Why the Git sources a model was built from are stale (`git://host/repo branch main now at 3f2a1bc`), or undefined. */
  private async movedGitSource(sources: FetchedGitSource[], signal?: AbortSignal): Promise<string | undefined> {
    const context = { cache: this.sourceCache, env: this.options.sources?.env ?? process.env, signal, ...(this.options.sources?.timeoutMs ? { timeoutMs: this.options.sources.timeoutMs } : {}) };
    const now = await Promise.all(sources.map((source) => remoteCommit(source.request, context)));
    const index = sources.findIndex((source, at) => now[at] !== undefined && (now[at] !== source.commit || source.fromCache));
    if (index === -1) return undefined;
    const { request, fromCache } = sources[index];
    return `${shownURL(request.url)} ${describeRef(request.ref)} ${fromCache ? 'is reachable again' : `now at ${now[index]!.slice(0, 7)}`}`;
  }

  /** A failed (or stopped) discovery is not kept: the next call starts another. */
  private tracked(work: (signal: AbortSignal) => Promise<RepoModel>): SharedWork<RepoModel> {
    const shared: SharedWork<RepoModel> = new SharedWork(work, () => { if (this.model === shared) this.model = undefined; });
    shared.promise.catch(() => { if (this.model === shared) this.model = undefined; });
    return shared;
  }
}

/** A name that is not in the repo, or a context that cannot be chosen: the message lists what there is. */
export class WorkspaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceError';
  }
}

async function assertDirectory(root: string): Promise<void> {
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) throw new WorkspaceError(`repository ${root} is not a directory`);
}

/** SOPS-encrypted manifests decrypted in memory with the keys sops itself would find (SOPS_AGE_KEY_FILE, gpg, ...). */
const decryptWithDefaultKeys: DecryptSecret = async (text, file, how) => (await decryptManifestIfSops(text, file, how)) ?? text;
