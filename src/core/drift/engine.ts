// The drift engine: the one entry point the CLI, the VS Code views, sync and the benchmarks use. It holds
// what survives between refreshes (the repo model, renders keyed by input hash, dry-run predictions keyed by
// desired hash and live resourceVersion, one client per kube context), so a warm refresh re-renders and
// re-asks the server only for what changed. Data flows one way: discover -> render -> live -> compare.
import path from 'node:path';
import { LiveSnapshot, type ListedVersion, type ListOutcome } from '../cluster/liveSnapshot';
import type { SharedLists } from '../cluster/sharedLists';
import { messageOf } from '../errors';
import { describeRef, refId } from '../identity';
import {
  type AppDefinition, type AppResult, type EnvironmentDefinition, type EnvironmentResult, type ObjectRef,
  type RenderedApp, type RepoModel, type ResourceResult, type StatusReport,
} from '../model';
import { findDuplicateObjects } from '../render/findDuplicates';
import { FileReads } from '../render/fileReads';
import { isWithin } from '../render/listFiles';
import { appKey, renderApps } from '../render/renderApps';
import { Workspace, type WorkspaceOptions } from '../workspace';
import { appReason, compareEnvironment } from './compareEnvironment';
import { liveSubstitutionOptions, substituteLiveVariables, sourcesClientFor } from './liveSubstitution';
import { helmClusterOf } from './helmClusterOf';
import { compareWithStoredReleases } from './storedReleases';
import { LiveWatch, mergeWatchTargets, watchTargetOf, type EnvironmentWatchTarget, type LiveWatchOptions } from './liveWatch';
import { Predictor } from './predict';
import { ComparisonCache } from './comparisonCache';
import { controllerInventoryKeys } from './inventory';
import { withControllerStates } from './controllerStates';
import { describedApp } from './summarize';

/** The engine's options are its workspace's: a CLI run makes one workspace per command, VS Code one per folder. */
export type DriftEngineOptions = WorkspaceOptions;

/** Narrows a status run. `environment` is an alias of `env`. */
export interface StatusFilter {
  env?: string;
  environment?: string;
  app?: string;
  /** Compare against this kube context instead of each environment's own. */
  context?: string;
}

/** How a status reads, for callers that hold part of the answer already (a branch preview's two sides). */
export interface StatusOptions {
  /** LISTs shared with the other comparisons of the caller's operation (SharedLists): each kind and namespace read once. */
  sharedLists?: SharedLists;
  /** Apps (appKey) whose render in the cache the caller vouches for: reused without reading their files. */
  trustedRenders?: ReadonlySet<string>;
}

export type WatchLiveOptions = Pick<LiveWatchOptions, 'maxWatches' | 'onUnwatched' | 'onHealth' | 'backoffMs' | 'maxBackoffMs'>;

export class DriftEngine {
  /** What the engine compares, shared with sync, rollback and suspend: the repo model, contexts, clients, caches. */
  readonly workspace: Workspace;
  /** Per kube context, the latest results of each app (reused while its render and live objects are unchanged). */
  private readonly comparisons = new Map<string, ComparisonCache>();
  /** Per environment, what its latest comparison listed: what live watches follow. */
  private readonly watchTargets = new Map<string, EnvironmentWatchTarget>();
  private readonly liveWatches = new Set<LiveWatch>();
  /**
   * Apps (appKey) whose cached render was checked against their files by a status and that no change reported
   * to `filesChanged` since affects: the status after `filesChanged` reuses them without re-reading their trees.
   */
  private readonly verified = new Set<string>();
  private trustNextStatus = false;
  private statusesRunning = 0;
  private changesReported = 0;

  constructor(workspace: Workspace | DriftEngineOptions) {
    this.workspace = workspace instanceof Workspace ? workspace : new Workspace(workspace);
  }

  private get options(): WorkspaceOptions {
    return this.workspace.options;
  }

  private get renderCache() {
    return this.workspace.renderCache;
  }

  /** Environments and apps of the repo (the workspace's model, kept until `filesChanged`); see Workspace.discover. */
  discover(signal?: AbortSignal): Promise<RepoModel> {
    return this.workspace.discover(signal);
  }

  /**
   * Live vs Git for every environment and app the filter selects; Secrets masked. When `signal` aborts, the
   * status rejects with its reason at once: discovery, renders (their tool processes killed) and requests stop.
   */
  async status(filter: StatusFilter = {}, signal?: AbortSignal, options: StatusOptions = {}): Promise<StatusReport> {
    const verified = this.trustNextStatus ? this.verified : undefined;
    const trusted = verified || options.trustedRenders ? new Set([...verified ?? [], ...options.trustedRenders ?? []]) : undefined;
    this.trustNextStatus = false;
    const changesBefore = this.changesReported;
    this.statusesRunning += 1;
    try {
      const report = await this.statusOf(filter, trusted, signal, options.sharedLists);
      // Renders that started after every reported change read current files; the others may not have.
      if (this.changesReported === changesBefore) {
        for (const app of report.rendered) if (!app.error) this.verified.add(appKey(app.app));
      }
      return report.status;
    } finally {
      this.statusesRunning -= 1;
    }
  }

  private async statusOf(
    filter: StatusFilter, trusted: ReadonlySet<string> | undefined, signal?: AbortSignal, sharedLists?: SharedLists,
  ): Promise<{ status: StatusReport; rendered: RenderedApp[] }> {
    // A refresh: Git sources of other repositories that moved upstream are fetched again.
    const model = await this.workspace.discoverCurrent(signal);
    const selected = selectApps(model, filter);
    const rendered: RenderedApp[] = [];
    const reads = new FileReads();
    const environments = await Promise.all(selected.map(async ({ environment, apps }) => {
      const result = await this.compareEnvironment(model, environment, apps, filter.context, signal, false, trusted, reads, sharedLists);
      rendered.push(...result.rendered);
      if (result.listed) {
        const target = watchTargetOf(result.environment, apps, result.listed);
        this.watchTargets.set(environment.name, filter.app ? mergeWatchTargets(this.watchTargets.get(environment.name), target) : target);
      }
      return result.environment;
    }));
    for (const name of this.watchTargets.keys()) {
      if (!model.environments.some((known) => known.name === name)) this.watchTargets.delete(name);
    }
    for (const watch of this.liveWatches) watch.retarget([...this.watchTargets.values()]);
    const status = {
      repo: model.root,
      generatedAt: new Date().toISOString(),
      environments,
      problems: [...model.problems, ...findDuplicateObjects(rendered)],
    };
    return { status, rendered };
  }

  /**
   * Files created, changed or deleted in the repo: the next status re-discovers when they may change discovery,
   * and re-renders the apps they affect; it trusts that the other apps' files did not change.
   */
  filesChanged(paths: string[]): void {
    if (paths.length === 0) return;
    const affected = this.renderCache.appsAffectedBy(paths);
    if (affected.length) this.options.log?.(`files changed: re-render ${affected.map((app) => `${app.environment}/${app.name}`).join(', ')}`);
    for (const app of affected) this.verified.delete(appKey(app));
    // A status rendering now may have read some files before this change, and its apps are not in the cache yet.
    if (this.statusesRunning > 0) this.verified.clear();
    // A path outside the repo that no app reads may name the repo another way (through a symlink): trust nothing.
    const root = path.resolve(this.options.repoRoot);
    if (paths.some((changed) => !isWithin(path.resolve(changed), root) && this.renderCache.appsAffectedBy([changed]).length === 0)) this.verified.clear();
    this.changesReported += 1;
    this.trustNextStatus = true;
    this.workspace.filesChanged(paths);
  }

  /**
   * One resource with its Secret values UNMASKED, for the explicit "Reveal secret values" request only. The
   * result is compared afresh; it is never cached or logged.
   */
  async revealResource(environmentName: string, appName: string, ref: ObjectRef): Promise<ResourceResult> {
    const model = await this.discover();
    const [{ environment, apps }] = selectApps(model, { env: environmentName, app: appName });
    const { environment: result } = await this.compareEnvironment(model, environment, apps, undefined, undefined, true);
    if (result.reason) throw new Error(`cannot reveal ${describeRef(ref)}: ${result.reason}`);
    const wanted = refId(ref);
    const found = result.apps[0]?.resources.find((resource) => refId(resource) === wanted);
    if (!found) throw new Error(`${describeRef(ref)} is not part of app ${appName} in environment ${environmentName}`);
    return found;
  }

  /**
   * Calls `onChange(environment)` (not debounced) when a live object of that environment changes, by
   * watching the kinds and namespaces the latest status() listed; each later status() re-targets the watches.
   * A watch that loses its connection reconnects by itself (reading kubeconfig again after a 401) and
   * `options.onHealth` says meanwhile which watches of an environment are lost.
   */
  watchLive(onChange: (environment: string) => void, options: WatchLiveOptions = {}): { dispose(): void } {
    const watch = new LiveWatch({
      ...options, onChange, log: this.options.log,
      clientFor: (context) => this.workspace.clientFor(context),
      forgetCredentials: (context) => this.workspace.forgetCredentials(context),
    });
    this.liveWatches.add(watch);
    watch.retarget([...this.watchTargets.values()]);
    return {
      dispose: () => {
        watch.dispose();
        this.liveWatches.delete(watch);
      },
    };
  }

  /** Stops live watches and drops idle connections so a short-lived process can exit. */
  close(): void {
    for (const watch of this.liveWatches) watch.dispose();
    this.liveWatches.clear();
    this.workspace.close();
  }

  private async compareEnvironment(
    model: RepoModel, environment: EnvironmentDefinition, apps: AppDefinition[], contextOverride: string | undefined,
    signal: AbortSignal | undefined, reveal: boolean, trusted?: ReadonlySet<string>, reads = new FileReads(), sharedLists?: SharedLists,
  ): Promise<{ environment: EnvironmentResult; rendered: RenderedApp[]; listed?: ListedVersion[] }> {
    const started = Date.now();
    const base = { name: environment.name, protected: environment.protected };
    const concurrency = this.workspace.concurrency;
    const requested = contextOverride ?? this.options.contextOverrides?.[environment.name] ?? environment.context ?? '';
    // Flux HelmReleases render with what the cluster holds (valuesFrom read live, its versions), as helm-controller does.
    const target = () => this.workspace.clientFor(this.workspace.contextFor(environment, requested)).withSignal(signal);
    const helmCluster = helmClusterOf(sourcesClientFor(this.workspace, model, environment, target, signal), concurrency, signal);
    const early = this.listAgainWhileRendering(environment, requested, sharedLists, signal);
    const rendered = await renderApps(apps, { ...this.workspace.renderOptionsFor(model), helmCluster, trusted, reads, signal });
    const renderedAt = Date.now();
    signal?.throwIfAborted();
    let context = requested;
    try {
      context = this.workspace.contextFor(environment, context);
      // Stop reaches the requests too: LISTs, dry-runs and discovery in flight are aborted, not waited for.
      const client = this.workspace.clientFor(context).withSignal(signal);
      const predictor = new Predictor(client, this.workspace.predictions, context, { alwaysDryRun: this.options.alwaysDryRun });
      const substituted = await compareWithStoredReleases(
        await substituteLiveVariables(rendered, liveSubstitutionOptions(this.workspace, model, environment, client, signal)),
        { client, concurrency, signal });
      const before = this.watchTargets.get(environment.name);
      const listedBefore = before?.context === context ? before.lists : [];
      const compared = await compareEnvironment(substituted, {
        sharedLists: context === early?.context ? early.lists : sharedLists?.of(context),
        client, predictor, ignoreRules: model.ignoreRules, defaultNamespace: client.defaultNamespace, concurrency, signal, reveal,
        previous: this.comparisonsOf(context),
        alsoList: controllerInventoryKeys(client, apps, concurrency).then((inventory) => [...inventory, ...listedBefore]),
      });
      // What the cluster runs: each controller's state and revision, against this clone's branch (controllerStates.ts).
      const withStates = await withControllerStates(compared.apps, apps, { client, repoRoot: model.root, concurrency, signal });
      this.options.log?.(`${environment.name} (context ${context}): ${apps.length} apps (${compared.reused} unchanged), ${compared.lists} LISTs, ` +
        `${predictor.dryRuns} dry-runs sent (${predictor.provenUnchanged} not needed), ${Date.now() - started} ms (render ${renderedAt - started} ms)`);
      return { environment: { ...base, context, apps: withStates }, rendered: substituted, listed: compared.listed };
    } catch (error) {
      if (signal?.aborted) throw error;
      this.workspace.forgetCredentials(context);
      const reason = messageOf(error);
      this.options.log?.(`${environment.name} (context ${context || 'none'}): ${reason}`);
      return { environment: { ...base, context, reason, apps: rendered.map((app) => unknownApp(app, appReason(app) ?? reason)) }, rendered };
    }
  }

  /**
   * A refresh lists again what the environment's last status listed: those LISTs start while its apps render, so
   * the cluster's answers and the tools' runs overlap (the comparison then takes them from `lists`, and lists
   * only what the new renders add). Nothing is started for a context other than the one listed last time.
   */
  private listAgainWhileRendering(
    environment: EnvironmentDefinition, requested: string, sharedLists: SharedLists | undefined, signal?: AbortSignal,
  ): { context: string; lists: Map<string, Promise<ListOutcome>> } | undefined {
    const before = this.watchTargets.get(environment.name);
    try {
      const context = this.workspace.contextFor(environment, requested);
      const lists = sharedLists?.of(context) ?? new Map<string, Promise<ListOutcome>>();
      if (before?.context === context && before.lists.length > 0) {
        const client = this.workspace.clientFor(context).withSignal(signal);
        LiveSnapshot.read(client, before.lists, { concurrency: this.workspace.concurrency, signal, shared: lists }).catch(() => undefined);
      }
      return { context, lists };
    } catch {
      return undefined; // no context or client: the comparison says why
    }
  }

  private comparisonsOf(context: string): ComparisonCache {
    let comparisons = this.comparisons.get(context);
    if (!comparisons) {
      comparisons = new ComparisonCache();
      this.comparisons.set(context, comparisons);
    }
    return comparisons;
  }
}

/** The environments and apps a filter selects; an unknown name is an error that lists the known ones. */
function selectApps(model: RepoModel, filter: StatusFilter): { environment: EnvironmentDefinition; apps: AppDefinition[] }[] {
  const envName = filter.env ?? filter.environment;
  const environments = envName ? model.environments.filter((environment) => environment.name === envName) : model.environments;
  if (envName && environments.length === 0) {
    throw new Error(`no environment "${envName}" in ${model.root} (environments: ${model.environments.map((environment) => environment.name).join(', ') || 'none'})`);
  }
  const selected = environments.map((environment) => ({
    environment, apps: filter.app ? environment.apps.filter((app) => app.name === filter.app) : environment.apps,
  }));
  if (filter.app && selected.every(({ apps }) => apps.length === 0)) {
    const known = [...new Set(environments.flatMap((environment) => environment.apps.map((app) => app.name)))];
    throw new Error(`no app "${filter.app}" in ${envName ? `environment ${envName}` : model.root} (apps: ${known.join(', ') || 'none'})`);
  }
  return filter.app ? selected.filter(({ apps }) => apps.length > 0) : selected;
}

function unknownApp(app: RenderedApp, reason: string): AppResult {
  return {
    ...describedApp(app.app), status: 'Unknown', counts: { synced: 0, outOfSync: 0, missing: 0, extra: 0, unknown: 0 }, resources: [], reason,
  };
}
