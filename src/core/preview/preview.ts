// A branch preview: the repo rendered at a base revision and at a head (the working tree, a revision, or the
// merge of a revision into the base), compared object by object, and with the cluster both compared with it
// live. The head is the caller's engine when it is the working tree (VS Code's, with its caches warm); every
// other side is a sibling workspace on a scratch worktree, sharing predictions, sources and clients. The base
// re-discovers only when a changed file may change discovery, and renders only apps a changed file feeds.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { whyRediscoverAny } from '../discovery/changeAffectsDiscovery';
import { DriftEngine } from '../drift/engine';
import { isOwnedByApp } from '../drift/ownership';
import { openRepo } from '../git/repo';
import type { EnvironmentResult, RenderedApp, RepoModel, StatusReport } from '../model';
import { renderApps } from '../render/renderApps';
import type { Workspace } from '../workspace';
import { compareEnvironmentRevisions, sumChanges } from './compareRevisions';
import type { PreviewResult, PreviewSkips } from './model';
import { PreviewError } from './previewError';
import { rebasePaths } from './rebasePaths';
import { seedUnchangedRenders } from './reuseRenders';
import { withPreviewCheckouts, type HeadSpec } from './revisions';
import { objectFilter } from './skipKinds';

export interface PreviewOptions {
  /** Branch, tag or commit the change is compared against (a PR's target branch). */
  base: string;
  /** Branch, tag or commit; absent: the working tree as it is on disk (uncommitted and untracked files too). */
  head?: string;
  /** With `head`: preview the merge of head into base, as merging the PR would produce (default true). */
  merge?: boolean;
  /** Compare both sides with the cluster too (default false: Git only, no cluster needed). */
  live?: boolean;
  /** Only this environment / app (a name present on either side). */
  env?: string;
  app?: string;
  /** Compare against this kube context instead of each environment's own. */
  context?: string;
  skip?: PreviewSkips;
  signal?: AbortSignal;
}

/** One side, discovered and rendered, with the cluster's results when asked. */
interface Side {
  workspace: Workspace;
  root: string;
  model: RepoModel;
  rendered: RenderedApp[];
  live?: StatusReport;
}

export async function previewRevisions(engine: DriftEngine, options: PreviewOptions): Promise<PreviewResult> {
  const { signal } = options;
  const workspace = engine.workspace;
  const repo = await openRepo(workspace.repoRoot);
  // The GitOps repository may be a folder of the git repository: each checkout has it at the same place.
  const inRepo = path.relative(await fs.realpath(repo.root), await fs.realpath(workspace.repoRoot));
  const head: HeadSpec = options.head === undefined ? { workingTree: true } : { ref: options.head, merge: options.merge ?? true };
  return withPreviewCheckouts(repo, options.base, head, async (checkouts) => {
    const changedFiles = checkouts.changedFiles.flatMap((file) => {
      const relative = path.relative(inRepo, file);
      return relative.startsWith('..') ? [] : [relative];
    });
    const headSide = await sideAt('workingTree' in head ? engine : new DriftEngine(workspace.atRoot(path.join(checkouts.head.root, inRepo))), options);
    const baseRoot = path.join(checkouts.base.root, inRepo);
    const reusedModel = await sameDiscovery(headSide, baseRoot, changedFiles);
    const baseWorkspace = workspace.atRoot(baseRoot, reusedModel);
    const baseApps = (await baseWorkspace.discover(signal)).environments.flatMap((environment) => environment.apps);
    const reused = await seedUnchangedRenders(headSide, { workspace: baseWorkspace, root: baseRoot }, baseApps, changedFiles);
    const baseSide = await sideAt(new DriftEngine(baseWorkspace), options);
    assertSelected(options, headSide.model, baseSide.model);
    const keep = objectFilter(options.skip);
    const names = [...new Set([...environmentsOf(headSide, options), ...environmentsOf(baseSide, options)])];
    const environments = await Promise.all(names.map((name) => compareEnvironmentRevisions({
      name,
      head: headSide.rendered.filter((rendered) => rendered.app.environment === name),
      base: baseSide.rendered.filter((rendered) => rendered.app.environment === name),
      headLive: liveOf(headSide, name),
      baseLive: liveOf(baseSide, name),
      reused: new Set(baseSide.rendered.filter((rendered) => rendered.app.environment === name && reused.has(`${name}/${rendered.app.name}`)).map((rendered) => rendered.app.name)),
    }, {
      ignoreRules: headSide.model.ignoreRules, keep,
      ownedLive: options.live ? async (ref, app) => {
        const context = liveOf(baseSide, name)?.context;
        const live = context ? await workspace.clientFor(context).withSignal(signal).get(ref) : undefined;
        return !!live && isOwnedByApp(live, app);
      } : undefined,
    })));
    return {
      repo: workspace.repoRoot,
      generatedAt: new Date().toISOString(),
      base: checkouts.base.info,
      head: checkouts.head.info,
      live: !!options.live,
      changedFiles,
      rendering: { apps: baseSide.rendered.length, renderedAgain: baseSide.rendered.filter((rendered) => !reused.has(`${rendered.app.environment}/${rendered.app.name}`)).length },
      counts: sumChanges(environments.map((environment) => environment.counts)),
      environments,
      // A base that took the head's discovery has the head's problems: listed once.
      problems: [...headSide.model.problems, ...(reusedModel ? [] : baseSide.model.problems.map((problem) => ({ ...problem, message: `at ${options.base}: ${problem.message}` })))],
    };
  }, signal);
}

/** Discovers and renders the selected apps of one side (through its engine's caches), then compares them live when asked. */
async function sideAt(engine: DriftEngine, options: PreviewOptions): Promise<Side> {
  const { workspace } = engine;
  const model = await engine.discover(options.signal);
  const apps = model.environments
    .filter((environment) => !options.env || environment.name === options.env)
    .flatMap((environment) => environment.apps.filter((app) => !options.app || app.name === options.app));
  const rendered = await renderApps(apps, { ...workspace.renderOptionsFor(model), signal: options.signal });
  const side: Side = { workspace, root: workspace.repoRoot, model, rendered };
  // The engine renders again through the same cache: every app is a hit.
  if (options.live && apps.length > 0) side.live = await engine.status({ env: options.env, app: options.app, context: options.context }, options.signal);
  return side;
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

/** --env and --app must name something on one side at least; the error lists what both have. */
function assertSelected(options: PreviewOptions, head: RepoModel, base: RepoModel): void {
  const environments = [...new Set([...head.environments, ...base.environments].map((environment) => environment.name))];
  if (options.env && !environments.includes(options.env)) {
    throw new PreviewError(`no environment "${options.env}" at ${options.base} or the head (environments: ${environments.join(', ') || 'none'})`);
  }
  const apps = [...head.environments, ...base.environments]
    .filter((environment) => !options.env || environment.name === options.env)
    .flatMap((environment) => environment.apps.map((app) => app.name));
  if (options.app && !apps.includes(options.app)) {
    throw new PreviewError(`no app "${options.app}" ${options.env ? `in environment ${options.env} ` : ''}at ${options.base} or the head (apps: ${[...new Set(apps)].join(', ') || 'none'})`);
  }
}

function environmentsOf(side: Side, options: PreviewOptions): string[] {
  return side.model.environments.map((environment) => environment.name).filter((name) => !options.env || name === options.env);
}

function liveOf(side: Side, environment: string): EnvironmentResult | undefined {
  return side.live?.environments.find((result) => result.name === environment);
}
