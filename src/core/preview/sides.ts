// The two sides of a preview, discovered, rendered and (with the cluster) compared live. The head goes through
// its engine as a status does (a warm VS Code engine answers from its caches). The base does as little as it
// can: the head's discovery when no changed file may change it, the head's render for every app no changed file
// feeds, and for those apps the head's live comparison too (equal inputs render and compare equally); only the
// apps rendered again are compared with the cluster at the base.
import path from 'node:path';
import { whyRediscoverAny } from '../discovery/changeAffectsDiscovery';
import type { SharedLists } from '../cluster/sharedLists';
import { DriftEngine, type StatusOptions } from '../drift/engine';
import type { AppDefinition, EnvironmentResult, RenderedApp, RepoModel, StatusReport } from '../model';
import { appKey, renderApps } from '../render/renderApps';
import type { Workspace } from '../workspace';
import { rebasePaths } from './rebasePaths';
import { reusableRenders, seedRenderCache } from './reuseRenders';

/** What both sides are narrowed to (names present on either side). */
export interface SideFilter {
  env?: string;
  app?: string;
  context?: string;
  live?: boolean;
  signal?: AbortSignal;
  /** The preview's LISTs: both sides compare with the same live objects, each kind and namespace read once. */
  sharedLists?: SharedLists;
}

export interface Side {
  workspace: Workspace;
  root: string;
  model: RepoModel;
  /** The selected apps' renders. */
  rendered: RenderedApp[];
  /** With the cluster: per environment, the selected apps' comparisons. */
  live?: EnvironmentResult[];
}

export interface BaseSide extends Side {
  /** The base took the head's discovery. */
  reusedModel: boolean;
  /** Apps (appKey) whose render (and live comparison) is the head's. */
  reused: ReadonlySet<string>;
}

/** Base apps rendered again one status each up to this many; past it one status of the whole selection costs less. */
const STATUS_PER_APP_UP_TO = 4;

export async function headSideOf(engine: DriftEngine, filter: SideFilter): Promise<Side> {
  const { workspace } = engine;
  const model = await engine.discover(filter.signal);
  const apps = selectedApps(model, filter);
  if (!filter.live || apps.length === 0) {
    return { workspace, root: workspace.repoRoot, model, rendered: await renderApps(apps, { ...workspace.renderOptionsFor(model), signal: filter.signal }) };
  }
  const status = await engine.status({ env: filter.env, app: filter.app, context: filter.context }, filter.signal, { sharedLists: filter.sharedLists });
  // The status just rendered every app into the cache; only failed renders (never kept as trusted) render again.
  const cached = new Map(apps.flatMap((app) => {
    const rendered = workspace.renderCache.getTrusted(app);
    return rendered ? [[appKey(app), rendered] as const] : [];
  }));
  const missing = await renderApps(apps.filter((app) => !cached.has(appKey(app))), { ...workspace.renderOptionsFor(model), signal: filter.signal });
  const rendered = apps.map((app) => cached.get(appKey(app)) ?? missing.find((render) => appKey(render.app) === appKey(app))!);
  return { workspace, root: workspace.repoRoot, model, rendered, live: status.environments };
}

export async function baseSideOf(parent: Workspace, head: Side, root: string, changedFiles: string[], filter: SideFilter): Promise<BaseSide> {
  const headModel = await sameDiscovery(head, root, changedFiles);
  const workspace = parent.atRoot(root, headModel);
  const engine = new DriftEngine(workspace);
  const model = await engine.discover(filter.signal);
  const apps = selectedApps(model, filter);
  const reusedRenders = reusableRenders(head, root, apps, changedFiles);
  const again = apps.filter((app) => !reusedRenders.has(appKey(app)));
  const fresh = new Map((await renderApps(again, { ...workspace.renderOptionsFor(model), signal: filter.signal })).map((rendered) => [appKey(rendered.app), rendered]));
  const rendered = apps.map((app) => reusedRenders.get(appKey(app)) ?? fresh.get(appKey(app))!);
  const side: BaseSide = { workspace, root, model, rendered, reusedModel: !!headModel, reused: new Set(reusedRenders.keys()) };
  if (filter.live && apps.length > 0) {
    // A status of the whole base must find the reused apps' renders in its cache.
    if (again.length > STATUS_PER_APP_UP_TO) await seedRenderCache(engine.workspace, reusedRenders.values());
    side.live = await baseLive(engine, model, apps, again, head, filter, { sharedLists: filter.sharedLists });
  }
  return side;
}

/**
 * The base's comparisons with the cluster: the head's for apps whose render was reused, a status of the others
 * (of the whole base past a few, whose cache the caller filled with the reused renders).
 */
export async function baseLive(
  engine: DriftEngine, model: RepoModel, apps: AppDefinition[], again: AppDefinition[], head: Side, filter: SideFilter, options: StatusOptions,
): Promise<EnvironmentResult[]> {
  const { signal, context } = filter;
  let reports: StatusReport[] = [];
  if (again.length > STATUS_PER_APP_UP_TO) {
    reports = [await engine.status({ env: filter.env, app: filter.app, context }, signal, options)];
  } else if (again.length > 0) {
    reports = await Promise.all(again.map((app) => engine.status({ env: app.environment, app: app.name, context }, signal, options)));
  }
  const computed = reports.flatMap((report) => report.environments);
  const resultsOf = (environments: EnvironmentResult[]) => new Map(environments.flatMap((environment) => environment.apps.map((app) => [`${app.environment}/${app.name}` as string, app] as const)));
  const fromHead = resultsOf(head.live ?? []);
  const fromBase = resultsOf(computed);
  const againKeys = new Set(again.map(appKey));
  return model.environments.filter((environment) => apps.some((app) => app.environment === environment.name)).map((environment) => {
    const base = computed.find((result) => result.name === environment.name) ?? head.live?.find((result) => result.name === environment.name);
    // An app without a result (its environment's status failed as a whole) shows no live comparison; the reason says why.
    const results = apps.filter((app) => app.environment === environment.name)
      .flatMap((app) => (againKeys.has(appKey(app)) ? fromBase : fromHead).get(appKey(app)) ?? []);
    return { name: environment.name, protected: environment.protected, context: base?.context ?? '', ...(base?.reason ? { reason: base.reason } : {}), apps: results };
  });
}

/** The apps of the selected environments (and app), where they exist on this side. */
export function selectedApps(model: RepoModel, filter: SideFilter): AppDefinition[] {
  return model.environments
    .filter((environment) => !filter.env || environment.name === filter.env)
    .flatMap((environment) => environment.apps.filter((app) => !filter.app || app.name === filter.app));
}

/**
 * The head's model moved to the base's folder when no changed file may change discovery, on either side
 * (a file of a Flux or Argo CD object, of an app-of-apps chart, a new folder a convention would take...).
 */
async function sameDiscovery(head: Side, baseRoot: string, changedFiles: string[]): Promise<RepoModel | undefined> {
  const renderInputs = head.workspace.renderCache.inputFiles();
  const atHead = changedFiles.map((file) => path.join(head.root, file));
  if (await whyRediscoverAny(atHead, head.model, renderInputs)) return undefined;
  const model = rebasePaths(head.model, head.root, baseRoot);
  const atBase = changedFiles.map((file) => path.join(baseRoot, file));
  if (await whyRediscoverAny(atBase, model, new Set(rebasePaths([...renderInputs], head.root, baseRoot)))) return undefined;
  return model;
}
