// What the chart fetchers take and give.
import type { SharedFetches } from './sharedFetches';
import type { SourceCache } from './sourceCache';

/** A chart in a repository: `repoURL` is `https://...` (a chart repository) or `oci://...` (a registry path). */
export interface ChartRequest {
  repoURL: string;
  chart: string;
  /** Exact version, semver range or `*`; absent means the latest stable version. */
  version?: string;
  /** OCI only: this tag as it is (OCIRepository `ref.tag`), instead of `version`. */
  tag?: string;
  /** OCI only: the registry speaks plain HTTP (Flux `spec.insecure`); loopback registries always do. */
  insecure?: boolean;
}

export interface FetchContext {
  cache: SourceCache;
  /** Where credentials files are looked up (HOME, XDG_CONFIG_HOME, HELM_REPOSITORY_CONFIG, DOCKER_CONFIG...). */
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Longest one request may take. */
  timeoutMs?: number;
  /** Indexes and tag lists fetched once for all the renders of a refresh. */
  shared?: SharedFetches;
}

export interface FetchedChart {
  /** Path of the chart archive (.tgz) in the cache: `helm template` takes it as it is. */
  archive: string;
  version: string;
  /** sha256 hex of the archive. */
  digest: string;
  /** Where the chart came from when the row should say so: a mirror, or the cached copy of an unreachable source ("chart podinfo 6.5.4 from cache, fetched 2 h ago: ..."). */
  note?: string;
  /** True when the cached copy stands in for a source that could not be reached: the next refresh tries the source again. */
  fromCache?: boolean;
}
