// Renders many apps with bounded parallelism (each render is a process: kustomize, kubectl or helm) and a
// cache keyed by the hash of each app's inputs, which the engine keeps across refreshes.
import type { AppDefinition, RenderedApp } from '../model';
import { buildKustomizeBatch } from './buildKustomizeBatch';
import { FileReads } from './fileReads';
import { collectInputs, hashInputs, isAffectedBy, type AppInputs } from './collectInputs';
import type { RenderOptions } from './options';
import { notedInputHash, renderCollected } from './renderApp';
import { mapWithLimit } from '../concurrency';
import { readsLiveValues, withClusterInputs, withObjectsFingerprint } from './helmCluster';
import { fetchedOncePerRender, remoteChartRequests, withResolvedCharts } from './remoteChartInputs';

interface CacheEntry {
  app: AppDefinition;
  inputs: AppInputs;
  rendered: RenderedApp;
}

/** `environment/name`: one app's key in the cache. */
export function appKey(app: AppDefinition): string {
  return `${app.environment}/${app.name}`;
}

/** Earlier renders kept per app beside its latest (only apps whose inputs changed have any). */
const EARLIER_RENDERS = 4;

/** Last render of each app with the inputs it read; keep one per repo across refreshes. */
export class RenderCache {
  private readonly entries = new Map<string, CacheEntry>();

  get(app: AppDefinition, inputHash: string): RenderedApp | undefined {
    const entry = this.entries.get(appKey(app));
    // Failed renders are retried: the cause (a missing tool, a timeout) may be outside the inputs. So are
    // provisional ones (a cached chart whose source could not be reached): it may be back.
    // A render's own hash also covers its source notes (a mirror named in the row).
    const reusable = entry && entry.rendered.inputHash === notedInputHash(inputHash, entry.rendered.sourceNote) && !entry.rendered.error && !entry.rendered.provisional;
    return reusable ? { ...entry.rendered, app } : undefined;
  }

  /**
   * The last render of an app the caller vouches is unchanged (no file change since affects it), without
   * reading its files; only when the app is defined as it was then.
   */
  getTrusted(app: AppDefinition): RenderedApp | undefined {
    const entry = this.entries.get(appKey(app));
    const reusable = entry && !entry.rendered.error && !entry.rendered.provisional && sameDefinition(entry.app, app);
    return reusable ? { ...entry.rendered, app } : undefined;
  }

  /** Every file the cached renders read. */
  inputFiles(): Set<string> {
    return new Set([...this.entries.values()].flatMap((entry) => entry.inputs.files));
  }

  /**
   * Each app's earlier renders from other inputs, newest first, at most EARLIER_RENDERS: a working-tree
   * preview's base when only the working tree moved on. One is not enough: every edit of a file while a preview
   * stays open renders the app again, and the committed state is the render before the first of those edits
   * (so the oldest is kept; after a commit, the newest ones are the base).
   */
  private readonly earlier = new Map<string, CacheEntry[]>();

  set(app: AppDefinition, inputs: AppInputs, rendered: RenderedApp): void {
    const key = appKey(app);
    const previous = this.entries.get(key);
    if (previous && previous.rendered.inputHash !== rendered.inputHash) {
      const others = (this.earlier.get(key) ?? []).filter((entry) => entry.rendered.inputHash !== previous.rendered.inputHash && entry.rendered.inputHash !== rendered.inputHash);
      const kept = [previous, ...others];
      // The oldest stays (the state before this session's edits, usually the commit a preview compares with).
      if (kept.length > EARLIER_RENDERS) kept.splice(EARLIER_RENDERS - 1, 1);
      this.earlier.set(key, kept);
    }
    this.entries.set(key, { app, inputs, rendered });
  }

  /** The latest render of `app`, or an earlier one, made from inputs that hash to `inputHash`; with those inputs. */
  renderedFrom(app: AppDefinition, inputHash: string): { inputs: AppInputs; rendered: RenderedApp } | undefined {
    for (const entry of [this.entries.get(appKey(app)), ...this.earlier.get(appKey(app)) ?? []]) {
      if (entry?.rendered.inputHash === inputHash && !entry.rendered.error && !entry.rendered.provisional) return { inputs: entry.inputs, rendered: { ...entry.rendered, app } };
    }
    return undefined;
  }

  /** Cached apps whose renders a change to these paths (created, changed or deleted) may change. */
  appsAffectedBy(paths: string[]): AppDefinition[] {
    return [...this.entries.values()]
      .filter((entry) => paths.some((changed) => isAffectedBy(entry.inputs, changed)))
      .map((entry) => entry.app);
  }

  /** Forgets apps that are no longer in the model (after each discovery), with their renders and input files. */
  retainOnly(apps: AppDefinition[]): void {
    const keep = new Set(apps.map(appKey));
    for (const key of this.entries.keys()) if (!keep.has(key)) this.entries.delete(key);
    for (const key of this.earlier.keys()) if (!keep.has(key)) this.earlier.delete(key);
  }
}

export interface RenderAppsOptions extends RenderOptions {
  /** Renders running at once (default 4). */
  concurrency?: number;
  cache?: RenderCache;
  /** Apps (appKey) whose files are known unchanged since their cached render: reused without re-reading them. */
  trusted?: ReadonlySet<string>;
  /** Progress lines: why a batched kustomize build fell back to one build per app (never secret values). */
  log?: (line: string) => void;
}

export const DEFAULT_RENDER_CONCURRENCY = 4;

/** Fewest apps worth a batched kustomize build: below this, one process per app costs about the same. */
const MIN_BATCH = 4;
/**
 * Apps per batch before another process is worth starting. A kubectl kustomize run costs ~150 ms of CPU to start
 * and ~15 ms per app of the bench repo after that, growing faster than linearly past ~40 apps (ids are checked
 * against each other). Measured (2 cores, kubectl v1.32, kustomize v5.5): 30 apps cost 0.7 s of CPU in one
 * run, 0.8 s in two runs of 15 and 1.1 s in four of 8; all 90 apps of 3 environments in one run 2.3 s, in three
 * runs of 30 2.1 s.
 */
const APPS_PER_BATCH = 30;

/** Plain kustomize folders (no controller overlay, no Helm charts, nothing remote, no known problem) can share one build. */
function batchable(app: AppDefinition, inputs: AppInputs): boolean {
  const tree = inputs.kustomizeTree;
  return app.renderer === 'kustomize' && !app.unknownReason && !!tree && !tree.problem && tree.remoteResources.length === 0 &&
    !tree.inflatesHelmCharts &&
    !(app.kustomizeOverlay && Object.keys(app.kustomizeOverlay).length > 0);
}

/**
 * Builds the batchable apps in at most `concurrency` kustomize runs and leaves each app's output on its
 * inputs; a batch that fails leaves its apps to be built one by one (so each error names its own app).
 */
async function prebuildKustomize(pending: { app: AppDefinition; inputs: AppInputs }[], concurrency: number, options: RenderAppsOptions): Promise<void> {
  const candidates = pending.filter(({ app, inputs }) => batchable(app, inputs));
  // Where tools may not run, each app says so itself.
  if (candidates.length < MIN_BATCH || options.allowTools === false) return;
  const batches = Math.max(1, Math.min(concurrency, Math.ceil(candidates.length / APPS_PER_BATCH)));
  const chunks = Array.from({ length: batches }, (_, index) => candidates.filter((_candidate, i) => i % batches === index));
  await Promise.all(chunks.map(async (chunk) => {
    const outcome = await buildKustomizeBatch(chunk.map(({ app }) => app.path), options);
    if ('failure' in outcome) {
      const apps = chunk.map(({ app }) => appKey(app)).join(', ');
      options.log?.(`batched kustomize build of ${chunk.length} apps failed, building them one by one (${apps}): ${outcome.failure}`);
      return;
    }
    outcome.objects.forEach((objects, index) => { chunk[index].inputs.kustomizeOutput = objects; });
  }));
}

/** An app to render, or its cached render when that is still valid. */
type Collected = { app: AppDefinition; cached: RenderedApp } | { app: AppDefinition; cached?: undefined; inputs: AppInputs; inputHash: string };

/** Rejects with the abort reason as soon as `signal` aborts (killing the tools it runs); nothing aborted is cached. */
export async function renderApps(apps: AppDefinition[], given: RenderAppsOptions = {}): Promise<RenderedApp[]> {
  const options = { ...given, reads: given.reads ?? new FileReads(), ...(given.fetchChart ? { fetchChart: fetchedOncePerRender(given.fetchChart) } : {}) };
  const { cache, concurrency = DEFAULT_RENDER_CONCURRENCY } = options;
  const collected = await mapWithLimit(apps, concurrency, async (app): Promise<Collected> => {
    // A HelmRelease that reads values live renders every time: the values are no file the cache could watch.
    const live = readsLiveValues(app);
    // Unchanged files do not vouch for a remote chart: its range may resolve to a new version now.
    const charts = remoteChartRequests(app);
    const trusted = options.trusted?.has(appKey(app)) && !live && charts.length === 0 ? cache?.getTrusted(app) : undefined;
    if (trusted) return { app, cached: trusted };
    const inputs = await collectInputs(app, options.reads);
    const fileHash = await withResolvedCharts(await hashInputs(app, inputs, options.reads), charts, options.fetchChart, options.signal);
    const inputHash = await withClusterInputs(fileHash, app, options.helmCluster);
    const cached = live ? undefined : cache?.get(app, inputHash);
    return cached ? { app, cached } : { app, inputs, inputHash };
  }, options.signal);
  const pending = collected.flatMap((entry) => (entry.cached ? [] : [entry]));
  await prebuildKustomize(pending, concurrency, options);
  return mapWithLimit(collected, concurrency, async (entry) => {
    if (entry.cached) return entry.cached;
    const { app, inputs, inputHash } = entry;
    const collectedRender = await renderCollected(app, inputs, inputHash, options);
    const rendered = readsLiveValues(app) ? withObjectsFingerprint(collectedRender) : collectedRender;
    delete inputs.kustomizeOutput; // the cache keeps the inputs; the objects live on in `rendered` only
    cache?.set(app, inputs, rendered);
    return rendered;
  }, options.signal);
}

/** Same definition apart from where it was declared (what hashInputs hashes of it). */
function sameDefinition(a: AppDefinition, b: AppDefinition): boolean {
  const { declaredAt: _a, ...left } = a;
  const { declaredAt: _b, ...right } = b;
  return JSON.stringify(left) === JSON.stringify(right);
}
