// A Flux GitRepository of another repository (or of this one at another ref) and an Argo CD source of another
// repoURL: the folder they render from is inside the checkout the workspace's Git fetcher makes of the commit
// the controller would pick. A source that cannot be fetched makes its own app Unknown, naming URL and git's error.
import path from 'node:path';
import { stoppedBy } from '../abort';
import type { GitFetcher, GitRef, GitRequest } from '../sources/gitTypes';
import { objectsOf, type RepoScan } from './scanRepo';

export type RemoteFolder = { folder: string; note?: string } | { unknownReason: string };

/** The fetch a GitRepository in the repo stands for: its url, spec.ref (default branch master, as source-controller) and spec.ignore. */
export function gitRepositoryRequest(scan: RepoScan, name: string, namespace: string): GitRequest | undefined {
  const found = objectsOf(scan, 'source.toolkit.fluxcd.io', 'GitRepository')
    .find(({ object }) => object.metadata.name === name && (object.metadata.namespace ?? 'flux-system') === namespace);
  const spec = (found?.object.spec ?? {}) as { url?: unknown; ref?: Record<string, unknown>; ignore?: unknown };
  if (typeof spec.url !== 'string' || spec.url === '') return undefined;
  const ref: GitRef = {};
  for (const field of ['commit', 'name', 'semver', 'tag', 'branch'] as const) {
    if (typeof spec.ref?.[field] === 'string' && spec.ref[field] !== '') ref[field] = spec.ref[field] as string;
  }
  if (Object.keys(ref).length === 0) ref.branch = 'master';
  return { url: spec.url, ref, ...(typeof spec.ignore === 'string' ? { ignore: spec.ignore } : {}) };
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
