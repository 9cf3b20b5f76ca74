// A branch preview: the repo rendered at a base revision and at a head (the working tree, a revision, or the
// merge of a revision into the base), compared object by object, and with the cluster both compared with it
// live. The head is the caller's engine when it is the working tree (VS Code's, with its caches warm); every
// other side is a sibling workspace on a scratch worktree, sharing predictions, sources and clients. The base
// re-discovers only when a changed file may change discovery, and renders only apps a changed file feeds; for
// the working tree its renders come from the engine's cache when it can (baseFromCaches.ts), with no checkout.
// Both sides read the cluster through one set of LISTs.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { SharedLists } from '../cluster/sharedLists';
import { DriftEngine } from '../drift/engine';
import { isOwnedByApp } from '../drift/ownership';
import { openRepo, type Repo } from '../git/repo';
import type { EnvironmentResult, RepoModel } from '../model';
import { appKey } from '../render/renderApps';
import { compareEnvironmentRevisions, sumChanges } from './compareRevisions';
import { baseSideFromCaches, hasRenders } from './baseFromCaches';
import type { PreviewEnvironment, PreviewResult, PreviewSkips, RevisionInfo } from './model';
import { PreviewError } from './previewError';
import { rebasePaths } from './rebasePaths';
import { RevisionReads } from './revisionReads';
import { changedInWorkingTree, resolveRevision, withPreviewCheckouts, type HeadSpec } from './revisions';
import { baseSideOf, headSideOf, type BaseSide, type Side, type SideFilter } from './sides';
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
  /** Without `head`: unsaved editor buffers (absolute path -> text) read in place of their files, never written to them. */
  unsaved?: ReadonlyMap<string, string>;
  skip?: PreviewSkips;
  signal?: AbortSignal;
}

export async function previewRevisions(engine: DriftEngine, options: PreviewOptions): Promise<PreviewResult> {
  const { signal } = options;
  const workspace = engine.workspace;
  const filter: SideFilter = { env: options.env, app: options.app, context: options.context, live: options.live, signal, sharedLists: new SharedLists() };
  const started = Date.now();
  // The working tree as it is on disk: the caller's engine is the head, and its caches may hold the base too.
  // Its status starts first: rendering what the edit changed is the longest part, and needs nothing of git.
  const cachedHead = options.head === undefined && !options.unsaved?.size && hasRenders(workspace.renderCache)
    ? headSideOf(engine, filter) : undefined;
  cachedHead?.catch(() => undefined); // awaited below; a failure before that must not go unhandled
  const repo = await repoOf(workspace.repoRoot);
  // The GitOps repository may be a folder of the git repository: each checkout has it at the same place.
  const inRepo = path.relative(await fs.realpath(repo.root), await fs.realpath(workspace.repoRoot));
  const head: HeadSpec = options.head === undefined
    ? { workingTree: true, unsaved: await unsavedInRepo(repo.root, options.unsaved) }
    : { ref: options.head, merge: options.merge ?? true };
  const early = cachedHead && await workingTreeFromCaches(engine, cachedHead, repo, inRepo, options.base, filter);
  if (early?.base) return compareSides(engine, options, early.head, early.base, early.info, started);
  return withPreviewCheckouts(repo, options.base, head, async (checkouts) => {
    const changedFiles = inFolder(checkouts.changedFiles, inRepo);
    // The caller's engine (its caches warm) when the head is the working tree as it is on disk.
    const onDisk = checkouts.head.root === repo.root;
    const headSide = early?.head ?? await headSideOf(onDisk ? engine : new DriftEngine(workspace.atRoot(path.join(checkouts.head.root, inRepo))), filter);
    const baseSide = await baseSideOf(workspace, headSide, path.join(checkouts.base.root, inRepo), changedFiles, filter);
    return compareSides(engine, options, headSide, baseSide, { base: checkouts.base.info, head: checkouts.head.info, changedFiles }, started);
  }, signal);
}

/** The git repository of each folder previewed, asked of git once while its `.git` stays (a preview kept open runs after every edit). */
const reposByFolder = new Map<string, Repo>();

async function repoOf(folder: string): Promise<Repo> {
  const known = reposByFolder.get(folder);
  if (known && existsSync(path.join(known.root, '.git'))) return known;
  const repo = await openRepo(folder);
  reposByFolder.set(folder, repo);
  return repo;
}

/** Which revisions the two sides are, and the GitOps-repo-relative files that differ between them. */
interface ComparedRevisions {
  base: RevisionInfo;
  head: RevisionInfo;
  changedFiles: string[];
}

/**
 * The head side of a working-tree preview from the caller's engine, and its base from the same engine's caches
 * when they hold it (`base` undefined: a checkout is needed, the head side stands).
 */
async function workingTreeFromCaches(
  engine: DriftEngine, headSide: Promise<Side>, repo: Repo, inRepo: string, baseRef: string, filter: SideFilter,
): Promise<{ head: Side; base?: BaseSide; info: ComparedRevisions }> {
  // The git repository's top folder as the engine names its files (the GitOps repository may be a folder of it).
  const gitRoot = path.resolve(engine.workspace.repoRoot, path.relative(inRepo, ''));
  // The head's status and git's answers about the base, side by side: each mostly waits on processes.
  const [head, { commit, changed, reads }] = await Promise.all([headSide, (async () => {
    const commit = await resolveRevision(repo, baseRef, filter.signal);
    const changed = await changedInWorkingTree(repo, commit, filter.signal);
    return { commit, changed, reads: await RevisionReads.of(repo, commit, changed, gitRoot) };
  })()]);
  const base = reads && await baseSideFromCaches(reads, changed, head, filter);
  return { head, base, info: { base: { ref: baseRef, commit }, head: { ref: 'working tree', commit: undefined }, changedFiles: inFolder(changed, inRepo) } };
}

/** The git-relative `files` inside the folder `inRepo`, relative to it. */
function inFolder(files: string[], inRepo: string): string[] {
  return files.flatMap((file) => {
    const relative = path.relative(inRepo, file);
    return relative.startsWith('..') ? [] : [relative];
  });
}

/** Both sides object by object, per environment, with the cluster's results beside them. */
async function compareSides(
  engine: DriftEngine, options: PreviewOptions, headSide: Side, baseSide: BaseSide, revisions: ComparedRevisions, started: number,
): Promise<PreviewResult> {
  const { workspace } = engine;
  const { signal } = options;
  const { changedFiles } = revisions;
  workspace.log(`preview ${options.base}: ${changedFiles.length} files changed; ${Date.now() - started} ms for both sides ` +
    `(${baseSide.root === headSide.root ? 'base from the engine\'s caches' : 'base checked out'}, ${baseSide.reusedModel ? 'discovery reused' : 'discovered again'}, ` +
    `${baseSide.rendered.length - baseSide.reused.size} of ${baseSide.rendered.length} apps rendered again)`);
  assertSelected(options, headSide.model, baseSide.model);
  const keep = objectFilter(options.skip);
  const names = [...new Set([...environmentsOf(headSide, options), ...environmentsOf(baseSide, options)])];
  const environments = await Promise.all(names.map((name) => compareEnvironmentRevisions({
    name,
    head: headSide.rendered.filter((rendered) => rendered.app.environment === name),
    base: baseSide.rendered.filter((rendered) => rendered.app.environment === name),
    headLive: liveOf(headSide, name),
    baseLive: liveOf(baseSide, name),
    reused: new Set(baseSide.rendered.filter((rendered) => rendered.app.environment === name && baseSide.reused.has(appKey(rendered.app))).map((rendered) => rendered.app.name)),
  }, {
    ignoreRules: headSide.model.ignoreRules, keep,
    ownedLive: options.live ? async (ref, app) => {
      const context = liveOf(baseSide, name)?.context;
      const live = context ? await workspace.clientFor(context).withSignal(signal).get(ref) : undefined;
      return !!live && isOwnedByApp(live, app);
    } : undefined,
  }).then((environment) => inUserCheckout(environment, [headSide.root, baseSide.root], workspace.repoRoot))));
  return {
    repo: workspace.repoRoot,
    generatedAt: new Date().toISOString(),
    base: revisions.base,
    head: revisions.head,
    live: !!options.live,
    changedFiles,
    rendering: { apps: baseSide.rendered.length, renderedAgain: baseSide.rendered.length - baseSide.reused.size },
    counts: sumChanges(environments.map((environment) => environment.counts)),
    environments,
    // A base that took the head's discovery has the head's problems: listed once.
    problems: [...headSide.model.problems, ...(baseSide.reusedModel ? [] : baseSide.model.problems.map((problem) => ({ ...problem, message: `at ${options.base}: ${problem.message}` })))],
  };
}

/** Sources named in the user's checkout: a scratch worktree is gone once the preview returns. */
function inUserCheckout(environment: PreviewEnvironment, roots: string[], repoRoot: string): PreviewEnvironment {
  return roots.filter((root) => root !== repoRoot).reduce((rebased, root) => rebasePaths(rebased, root, repoRoot), environment);
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

/** Buffers of files inside the git repository, by repo-relative path (symlinked folders resolved as git sees them). */
async function unsavedInRepo(gitRoot: string, unsaved: ReadonlyMap<string, string> | undefined): Promise<Map<string, string>> {
  const root = await fs.realpath(gitRoot);
  const inside = new Map<string, string>();
  for (const [file, text] of unsaved ?? []) {
    const folder = await fs.realpath(path.dirname(file)).catch(() => path.dirname(file));
    const relative = path.relative(root, path.join(folder, path.basename(file)));
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) inside.set(relative, text);
  }
  return inside;
}

function environmentsOf(side: Side, options: PreviewOptions): string[] {
  return side.model.environments.map((environment) => environment.name).filter((name) => !options.env || name === options.env);
}

function liveOf(side: Side, environment: string): EnvironmentResult | undefined {
  return side.live?.find((result) => result.name === environment);
}
