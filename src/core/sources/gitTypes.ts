// What the Git fetcher takes and gives.

/**
 * The ref to check out, as a Flux GitRepository `spec.ref` names it (source-controller's precedence: commit,
 * then name, then semver, then tag, then branch), or an Argo CD `targetRevision` (a branch, tag, commit or HEAD,
 * resolved by the remote as `git fetch` resolves a short name).
 */
export interface GitRef {
  commit?: string;
  name?: string;
  semver?: string;
  tag?: string;
  branch?: string;
  revision?: string;
}

export interface GitRequest {
  url: string;
  ref: GitRef;
  /** GitRepository `spec.ignore` (gitignore syntax), added to source-controller's defaults and `.sourceignore` files. */
  ignore?: string;
  /** GitRepository `spec.include`: other GitRepositories' artifacts copied into this one. */
  include?: GitInclude[];
  /** Why the GitRepository cannot be fetched as written (an include naming nothing): the fetch fails with it. */
  problem?: string;
}

export interface GitInclude {
  /** `namespace/name` of the included GitRepository, for messages. */
  name: string;
  request: GitRequest;
  /** Inside the included artifact (default its root). */
  fromPath: string;
  /** Inside this artifact (default the included GitRepository's name). */
  toPath: string;
}

export interface FetchedGit {
  /** The checkout as source-controller's artifact holds it (ignored files left out); never written to again. */
  folder: string;
  commit: string;
  /** How the ref is named in messages: `branch main`, `tag v1.2.0`, `semver >=1.0.0 (v1.4.2)`. */
  ref: string;
  /** Where the checkout came from when the row should say so: a mirror, or the cached checkout of an unreachable remote ("... from cache, fetched 2 h ago"). */
  note?: string;
  /** True when the cached checkout stands in for a remote that could not be reached: the next refresh asks the remote again. */
  fromCache?: boolean;
}

/** Fetches one Git source (the workspace binds the cache, the time limit and the user's git configuration). */
export type GitFetcher = (request: GitRequest, signal?: AbortSignal) => Promise<FetchedGit>;

/** `branch main`, `tag v1.2.0`, `commit 0a1b2c3`...: the ref that decides, in source-controller's precedence. */
export function describeRef(ref: GitRef): string {
  if (ref.commit) return `commit ${ref.commit.slice(0, 12)}${ref.branch ? ` on branch ${ref.branch}` : ''}`;
  if (ref.name) return `ref ${ref.name}`;
  if (ref.semver) return `semver ${ref.semver}`;
  if (ref.tag) return `tag ${ref.tag}`;
  if (ref.branch) return `branch ${ref.branch}`;
  return `revision ${ref.revision ?? 'HEAD'}`;
}
