// The drift engine: the one entry point the CLI, the VS Code views, sync and the benchmarks use. It holds
// what survives between refreshes (the repo model, renders keyed by input hash, dry-run predictions keyed by
// desired hash and live resourceVersion, one client per kube context), so a warm refresh re-renders and
// re-asks the server only for what changed. Data flows one way: discover -> render -> live -> compare.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SharedWork } from '../abort';
import { ClusterClient } from '../cluster/client';
import type { ListedVersion } from '../cluster/liveSnapshot';
import { loadKubeConfig, type LoadedKubeConfig } from '../cluster/kubeconfig';
import { whyRediscoverAny } from '../discovery/changeAffectsDiscovery';
import { messageOf } from '../errors';
import { discoverRepo } from '../discovery/discoverRepo';
import { resolveContext } from '../discovery/resolveContext';
import { describeRef, refId } from '../identity';
import {
  type AppDefinition, type AppResult, type EnvironmentDefinition, type EnvironmentResult, type ObjectRef,
  type RenderedApp, type RepoModel, type ResourceResult, type StatusReport,
} from '../model';
import { findDuplicateObjects } from '../render/findDuplicates';
import { FileReads } from '../render/fileReads';
import { isWithin } from '../render/listFiles';
import type { DecryptSecret } from '../render/options';
import { decryptManifestIfSops } from '../sops/manifest';
import { RenderCache, appKey, renderApps, type RenderAppsOptions } from '../render/renderApps';
import { appReason, compareEnvironment } from './compareEnvironment';
import { LiveWatch, mergeWatchTargets, watchTargetOf, type EnvironmentWatchTarget, type LiveWatchOptions } from './liveWatch';
import { Predictor } from './predict';
import { ComparisonCache } from './comparisonCache';
import { controllerInventoryKeys } from './inventory';
import { PredictionCache } from './predictionCache';

export interface DriftEngineOptions {
  /** Absolute path of the GitOps repository. */
  repoRoot: string;
  /** KUBECONFIG-style list of files (':'-separated); default $KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  /** Environment name -> kube context, overriding configuration and name matching (the view's "Change context"). */
  contextOverrides?: Record<string, string>;
  /** LISTs and dry-runs in flight per environment (default 8). */
  concurrency?: number;
  /**
   * Send a dry-run for every object, even where the live object's managedFields prove the apply would change
   * nothing (default false: those objects need no request; provenUnchanged.ts).
   */
  alwaysDryRun?: boolean;
  /** Rendering: tool paths, SOPS decryption hook, timeout, render concurrency. */
  renderOptions?: Omit<RenderAppsOptions, 'cache'>;
  /** Progress and timing lines (never secret values). */
  log?: (line: string) => void;
}

/** Narrows a status run. `environment` is an alias of `env`. */
export interface StatusFilter {
  env?: string;
  environment?: string;
  app?: string;
  /** Compare against this kube context instead of each environment's own. */
  context?: string;
}

export type WatchLiveOptions = Pick<LiveWatchOptions, 'maxWatches' | 'onUnwatched'>;

export const DEFAULT_CONCURRENCY = 8;

export class DriftEngine {
  /** The repo model: one discovery shared by every caller, stopped when all callers waiting on it aborted. */
  private model: SharedWork<RepoModel> | undefined;
  private kubeconfig: LoadedKubeConfig | undefined;
  private readonly clients = new Map<string, ClusterClient>();
  private readonly renderCache = new RenderCache();
  private readonly predictions = new PredictionCache();
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

  constructor(private readonly options: DriftEngineOptions) {}

  /**
   * Environments and apps of the repo (cached until `filesChanged`). With a signal, the call rejects as soon
   * as it aborts; the discovery itself (and the tools it runs) stops once no caller waits for it any more.
   */
  discover(signal?: AbortSignal): Promise<RepoModel> {
    if (!this.model || this.model.stopped) this.model = this.tracked((stop) => this.discoverNow(stop));
    return this.model.wait(signal);
  }

  /**
   * Live vs Git for every environment and app the filter selects; Secrets masked. When `signal` aborts, the
   * status rejects with its reason at once: discovery, renders (their tool processes killed) and requests stop.
   */
  async status(filter: StatusFilter = {}, signal?: AbortSignal): Promise<StatusReport> {
    const trusted = this.trustNextStatus ? new Set(this.verified) : undefined;
    this.trustNextStatus = false;
    const changesBefore = this.changesReported;
    this.statusesRunning += 1;
    try {
      const report = await this.statusOf(filter, trusted, signal);
      // Renders that started after every reported change read current files; the others may not have.
      if (this.changesReported === changesBefore) {
        for (const app of report.rendered) if (!app.error) this.verified.add(appKey(app.app));
      }
      return report.status;
    } finally {
      this.statusesRunning -= 1;
    }
  }

  private async statusOf(filter: StatusFilter, trusted: ReadonlySet<string> | undefined, signal?: AbortSignal): Promise<{ status: StatusReport; rendered: RenderedApp[] }> {
    const model = await this.discover(signal);
    const selected = selectApps(model, filter);
    const rendered: RenderedApp[] = [];
    const reads = new FileReads();
    const environments = await Promise.all(selected.map(async ({ environment, apps }) => {
      const result = await this.compareEnvironment(model, environment, apps, filter.context, signal, false, trusted, reads);
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
    const previous = this.model;
    if (previous && !previous.stopped) this.model = this.tracked((stop) => this.keptOrRediscovered(previous, paths, stop));
  }

  /** The model again when no change can alter discovery, else a new discovery. */
  private async keptOrRediscovered(previous: SharedWork<RepoModel>, paths: string[], signal: AbortSignal): Promise<RepoModel> {
    const renderInputs = this.renderCache.inputFiles();
    const model = await previous.wait(signal).catch(() => undefined);
    signal.throwIfAborted();
    const reason = model ? await whyRediscoverAny(paths, model, renderInputs) : 'the previous discovery failed';
    if (!reason) return model!;
    this.options.log?.(`files changed: re-discover (${reason})`);
    return this.discoverNow(signal);
  }

  private async discoverNow(signal: AbortSignal): Promise<RepoModel> {
    await assertDirectory(this.options.repoRoot);
    const { tools, timeoutMs } = this.options.renderOptions ?? {};
    return discoverRepo(this.options.repoRoot, { tools, timeoutMs, signal });
  }

  /** A failed (or stopped) discovery is not kept: the next call starts another. */
  private tracked(work: (signal: AbortSignal) => Promise<RepoModel>): SharedWork<RepoModel> {
    const shared: SharedWork<RepoModel> = new SharedWork(work, () => { if (this.model === shared) this.model = undefined; });
    shared.promise.catch(() => { if (this.model === shared) this.model = undefined; });
    return shared;
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
   */
  watchLive(onChange: (environment: string) => void, options: WatchLiveOptions = {}): { dispose(): void } {
    const watch = new LiveWatch({ ...options, clientFor: (context) => this.clientFor(context), onChange, log: this.options.log });
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
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private async compareEnvironment(
    model: RepoModel, environment: EnvironmentDefinition, apps: AppDefinition[], contextOverride: string | undefined,
    signal: AbortSignal | undefined, reveal: boolean, trusted?: ReadonlySet<string>, reads = new FileReads(),
  ): Promise<{ environment: EnvironmentResult; rendered: RenderedApp[]; listed?: ListedVersion[] }> {
    const started = Date.now();
    const base = { name: environment.name, protected: environment.protected };
    const concurrency = this.options.concurrency ?? DEFAULT_CONCURRENCY;
    const renderOptions = this.options.renderOptions ?? {};
    const rendered = await renderApps(apps, {
      decryptSecret: decryptWithDefaultKeys, ...renderOptions, tools: { ...model.tools, ...renderOptions.tools }, cache: this.renderCache, trusted, reads, signal,
    });
    const renderedAt = Date.now();
    signal?.throwIfAborted();
    let context = contextOverride ?? this.options.contextOverrides?.[environment.name] ?? environment.context ?? '';
    try {
      context ||= this.defaultContext(environment);
      const client = this.clientFor(context);
      const predictor = new Predictor(client, this.predictions, context, { alwaysDryRun: this.options.alwaysDryRun });
      const before = this.watchTargets.get(environment.name);
      const listedBefore = before?.context === context ? before.lists : [];
      const compared = await compareEnvironment(rendered, {
        client, predictor, ignoreRules: model.ignoreRules, defaultNamespace: client.defaultNamespace, concurrency, signal, reveal,
        previous: this.comparisonsOf(context),
        alsoList: controllerInventoryKeys(client, apps, concurrency).then((inventory) => [...inventory, ...listedBefore]),
      });
      this.options.log?.(`${environment.name} (context ${context}): ${apps.length} apps (${compared.reused} unchanged), ${compared.lists} LISTs, ` +
        `${predictor.dryRuns} dry-runs sent (${predictor.provenUnchanged} not needed), ${Date.now() - started} ms (render ${renderedAt - started} ms)`);
      return { environment: { ...base, context, apps: compared.apps }, rendered, listed: compared.listed };
    } catch (error) {
      if (signal?.aborted) throw error;
      this.forgetCredentials(context);
      const reason = messageOf(error);
      this.options.log?.(`${environment.name} (context ${context || 'none'}): ${reason}`);
      return { environment: { ...base, context, reason, apps: rendered.map((app) => unknownApp(app, appReason(app) ?? reason)) }, rendered };
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

  private defaultContext(environment: EnvironmentDefinition): string {
    const kubeconfig = this.loadedKubeconfig();
    const context = resolveContext(environment, kubeconfig.listContexts().map((entry) => entry.name), kubeconfig.currentContext);
    if (!context) throw new Error(`no kube context for environment ${environment.name}: kubeconfig ${kubeconfig.files.join(', ')} has no current context`);
    return context;
  }

  private loadedKubeconfig(): LoadedKubeConfig {
    this.kubeconfig ??= this.options.kubeconfig ? loadKubeConfig(this.options.kubeconfig) : loadKubeConfig();
    return this.kubeconfig;
  }

  /** After a cluster-level failure, read kubeconfig again next time: the user may have logged in anew. */
  private forgetCredentials(context: string): void {
    this.clients.get(context)?.close();
    this.clients.delete(context);
    this.kubeconfig = undefined;
  }

  private clientFor(context: string): ClusterClient {
    let client = this.clients.get(context);
    if (!client) {
      client = ClusterClient.forContext(this.loadedKubeconfig(), context);
      this.clients.set(context, client);
    }
    return client;
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

async function assertDirectory(root: string): Promise<void> {
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) throw new Error(`repository ${root} is not a directory`);
}

/** SOPS-encrypted manifests decrypted in memory with the keys sops itself would find (SOPS_AGE_KEY_FILE, gpg, ...). */
const decryptWithDefaultKeys: DecryptSecret = async (text, file) => (await decryptManifestIfSops(text, file)) ?? text;

function unknownApp(app: RenderedApp, reason: string): AppResult {
  return {
    name: app.app.name, environment: app.app.environment, status: 'Unknown', renderer: app.app.renderer, path: app.app.path,
    counts: { synced: 0, outOfSync: 0, missing: 0, extra: 0, unknown: 0 }, resources: [], reason,
  };
}
