// What each cluster runs, added to an environment's results: per app, its controller's live state (Flux
// Kustomization / HelmRelease with its source, Argo CD Application), or for a direct sync the commit Driftline
// recorded; and when that revision is a commit of this repository, how far it is behind the branch. One GET per
// controller and source; git is asked once per commit and app.
import path from 'node:path';
import { messageOf } from '../errors';
import { appInputPaths } from '../git/appPaths';
import { openRepo, toRepoPaths, type Repo } from '../git/repo';
import { compareWithBranch, type RevisionComparison } from '../git/revisionsBehind';
import { argoControllerState } from '../health/argoControllerState';
import { commitOfRevision, type ControllerState, type SourceState } from '../health/controllerState';
import { fluxControllerState, fluxSourceRefs, fluxSourceState } from '../health/fluxControllerState';
import { isWithin } from '../render/listFiles';
import { mapWithLimit } from '../concurrency';
import { describeRef, type AppDefinition, type AppResult, type ControllerRef, type KubeObject, type ObjectRef } from '../model';

export interface ControllerStateClient {
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
}

export interface ControllerStatesOptions {
  client: ControllerStateClient;
  repoRoot: string;
  concurrency: number;
  signal?: AbortSignal;
}

/** `results` (one per app of `apps`, same names) with `controller` filled in from the cluster and `behind` from git. */
export async function withControllerStates(results: AppResult[], apps: AppDefinition[], options: ControllerStatesOptions): Promise<AppResult[]> {
  const definitions = new Map(apps.map((app) => [app.name, app]));
  const compare = revisionComparer(options.repoRoot);
  return mapWithLimit(results, options.concurrency, async (result) => {
    const app = definitions.get(result.name);
    if (!app) return result;
    const fromThisRepo = isWithin(path.resolve(app.path), path.resolve(options.repoRoot));
    if (app.controller) {
      const state = await controllerStateOf(options.client, app.controller, options.signal);
      const commit = commitOfRevision(state.appliedRevision);
      if (commit && fromThisRepo) Object.assign(state, await compare(commit, app));
      return { ...result, controller: state };
    }
    const commit = commitOfRevision(result.directSync?.revision);
    if (!result.directSync || !commit) return result;
    return { ...result, directSync: { ...result.directSync, ...(await compare(commit, app)) } };
  }, options.signal);
}

/** The controller object's state; one that is not live, or cannot be read, says so in `message`. */
export async function controllerStateOf(client: ControllerStateClient, ref: ControllerRef, signal?: AbortSignal): Promise<ControllerState> {
  const live = await getOrReason(client, ref, signal);
  if (typeof live === 'string') return { ...ref, ready: undefined, message: live };
  if (ref.kind === 'Application') return argoControllerState(ref, live);
  const state = fluxControllerState(ref, live);
  const source = await sourceStateOf(client, fluxSourceRefs(ref, live), signal);
  if (source) state.source = source;
  return state;
}

/** The first source that is not Ready (a HelmChart may be Ready from an older fetch while its HelmRepository fails), else the nearest. */
async function sourceStateOf(client: ControllerStateClient, refs: ObjectRef[], signal?: AbortSignal): Promise<SourceState | undefined> {
  let nearest: SourceState | undefined;
  for (const ref of refs) {
    const live = await getOrReason(client, ref, signal);
    const state: SourceState = typeof live === 'string'
      ? { kind: ref.kind, namespace: ref.namespace ?? '', name: ref.name, ready: undefined, message: live }
      : fluxSourceState(live);
    if (state.ready === 'False') return state;
    nearest ??= state;
  }
  return nearest;
}

async function getOrReason(client: ControllerStateClient, ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | string> {
  try {
    return (await client.get(ref)) ?? `${describeRef(ref)} is not in the cluster`;
  } catch (error) {
    signal?.throwIfAborted();
    return `cannot read ${describeRef(ref)}: ${messageOf(error)}`;
  }
}

/** Compares commits with the branch, once per commit and app; a folder that is no git repository compares nothing. */
function revisionComparer(repoRoot: string): (commit: string, app: AppDefinition) => Promise<RevisionComparison | Record<string, never>> {
  let repo: Promise<Repo | undefined> | undefined;
  const memo = new Map<string, Promise<RevisionComparison>>();
  return async (commit, app) => {
    repo ??= openRepo(repoRoot).catch(() => undefined);
    const opened = await repo;
    if (!opened) return {};
    const key = `${commit}\0${app.environment}\0${app.name}`;
    let comparison = memo.get(key);
    if (!comparison) {
      const paths = () => appInputPaths(app).then((found) => toRepoPaths(opened, found.filter((file) => isWithin(file, opened.root)))).catch(() => []);
      comparison = compareWithBranch(opened, commit, paths);
      memo.set(key, comparison);
    }
    return comparison;
  };
}
