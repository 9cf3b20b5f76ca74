// A Flux GitRepository of another repository (or of this one at another ref) and an Argo CD source of another
// repoURL: the folder they render from is inside the checkout the workspace's Git fetcher makes of the commit
// the controller would pick. A source that cannot be fetched makes its own app Unknown, naming URL and git's error.
import path from 'node:path';
import { stoppedBy } from '../abort';
import { includePath } from '../sources/gitInclude';
import type { GitFetcher, GitInclude, GitRef, GitRequest } from '../sources/gitTypes';
import { objectsOf, type RepoScan } from './scanRepo';

export type RemoteFolder = { folder: string; note?: string } | { unknownReason: string };

/** Includes of includes are followed this deep (a cycle of includes is a mistake, which this ends). */
const MAX_INCLUDE_DEPTH = 5;

/**
 * The fetch a GitRepository in the repo stands for: its url, spec.ref (default branch master, as
 * source-controller), spec.ignore and spec.include (GitRepositories of the same namespace, followed the same way).
 */
export function gitRepositoryRequest(scan: RepoScan, name: string, namespace: string, depth = 0): GitRequest | undefined {
  const found = objectsOf(scan, 'source.toolkit.fluxcd.io', 'GitRepository')
    .find(({ object }) => object.metadata.name === name && (object.metadata.namespace ?? 'flux-system') === namespace);
  const spec = (found?.object.spec ?? {}) as { url?: unknown; ref?: Record<string, unknown>; ignore?: unknown; include?: unknown };
  if (typeof spec.url !== 'string' || spec.url === '') return undefined;
  let include: GitInclude[] | undefined;
  let problem: string | undefined;
  try {
    if (Array.isArray(spec.include) && spec.include.length > 0) include = includesOf(scan, spec.include, namespace, `GitRepository ${namespace}/${name} (${found!.file})`, depth);
  } catch (error) {
    problem = (error as Error).message;
  }
  const ref: GitRef = {};
  for (const field of ['commit', 'name', 'semver', 'tag', 'branch'] as const) {
    if (typeof spec.ref?.[field] === 'string' && spec.ref[field] !== '') ref[field] = spec.ref[field] as string;
  }
  if (Object.keys(ref).length === 0) ref.branch = 'master';
  return { url: spec.url, ref, ...(typeof spec.ignore === 'string' ? { ignore: spec.ignore } : {}), ...(include ? { include } : {}), ...(problem ? { problem } : {}) };
}

function includesOf(scan: RepoScan, entries: unknown[], namespace: string, where: string, depth: number): GitInclude[] {
  if (depth >= MAX_INCLUDE_DEPTH) throw new Error(`${where}: spec.include is nested more than ${MAX_INCLUDE_DEPTH} deep (a cycle?)`);
  return entries.map((entry, index) => {
    const { repository, fromPath, toPath } = (entry ?? {}) as { repository?: { name?: unknown }; fromPath?: unknown; toPath?: unknown };
    const included = typeof repository?.name === 'string' ? repository.name : '';
    const request = included ? gitRepositoryRequest(scan, included, namespace, depth + 1) : undefined;
    if (request?.problem) throw new Error(request.problem);
    if (!request) throw new Error(`${where}: spec.include[${index}] names GitRepository ${namespace}/${included || '(no name)'}, which is not defined in this repository`);
    return {
      name: `${namespace}/${included}`, request,
      fromPath: includePath(typeof fromPath === 'string' ? fromPath : '', `${where}: spec.include[${index}].fromPath`),
      toPath: includePath(typeof toPath === 'string' && toPath !== '' ? toPath : included, `${where}: spec.include[${index}].toPath`),
    };
  });
}

/** `relative` (a Kustomization's spec.path, an Argo source's path) inside the fetched checkout. */
export async function remoteFolder(request: GitRequest, relative: string, fetchGit: GitFetcher, signal?: AbortSignal): Promise<RemoteFolder> {
  try {
    const fetched = await fetchGit(request, signal);
    const folder = path.resolve(fetched.folder, relative.replace(/^\/+/, '') || '.');
    if (path.relative(fetched.folder, folder).startsWith('..')) return { unknownReason: `path ${relative} is outside Git ${request.url}` };
    return { folder, ...(fetched.note ? { note: fetched.note } : {}) };
  } catch (error) {
    if (stoppedBy(error, signal)) throw error;
    return { unknownReason: error instanceof Error ? error.message : String(error) };
  }
}
