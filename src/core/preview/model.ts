// What a branch preview reports: per environment and app, each object's change from base to head in Git and,
// with the cluster, what applying the head would change live and the drift already there. Plain data for the
// CLI's formats and the VS Code preview mode; every object is normalized, ignore rules applied, Secrets masked.
import type { DiscoveryProblem, KubeObject, ResourceResult, SourceLocation } from '../model';

/** One side of a preview. */
export interface RevisionInfo {
  /** As the user named it (`main`, `v1.2.0`, a sha), or `working tree`. */
  ref: string;
  /** The commit it resolved to (absent for the working tree). */
  commit?: string;
  /** Set when the head is the merge of `ref` into this base ref (computed with git merge-tree, never committed). */
  mergedInto?: string;
}

/**
 * How an object changes when the head replaces the base: `added` (only the head renders it), `changed`,
 * `removed` (only the base renders it, nothing of it owned live), `pruned` (only the base renders it and the
 * live object is owned by its app: the controller or a sync would delete it), `unchanged`.
 */
export type PreviewChange = 'added' | 'changed' | 'removed' | 'pruned' | 'unchanged';

export interface PreviewObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  change: PreviewChange;
  /** Head vs base: the JSON pointers that differ (never values). */
  changedPaths?: string[];
  /** The object as the base renders it (absent when added); a Secret's changed keys masked `*** (before)`. */
  base?: KubeObject;
  /** The object as the head renders it (absent when removed or pruned); changed keys masked `*** (after)`. */
  head?: KubeObject;
  /** Where the head defines it, else the base. */
  source?: SourceLocation;
  /** With the cluster: head against live, what the cluster would become (`live` and `desired` = head). */
  headVsLive?: ResourceResult;
  /** With the cluster: base against live, the drift already there before the change. */
  liveVsBase?: ResourceResult;
}

export interface PreviewCounts {
  added: number;
  changed: number;
  removed: number;
  pruned: number;
  unchanged: number;
}

/** `unknown`: one side could not be rendered (its reason says why), so its objects are not compared. */
export type PreviewAppChange = 'added' | 'removed' | 'changed' | 'unchanged' | 'unknown';

export interface PreviewApp {
  environment: string;
  name: string;
  change: PreviewAppChange;
  /** Why the app could not be compared (a render error of either side, named by side). */
  reason?: string;
  /** False when the base render was taken from the head's: no input of the app differs between them. */
  renderedAgain: boolean;
  counts: PreviewCounts;
  /** Every object of either side (unchanged ones too, for context), in the order the head renders them. */
  objects: PreviewObject[];
}

export interface PreviewEnvironment {
  name: string;
  /** The kube context compared against (with the cluster). */
  context?: string;
  /** Why the cluster could not be compared for this environment (the Git comparison stands). */
  reason?: string;
  counts: PreviewCounts;
  apps: PreviewApp[];
}

export interface PreviewResult {
  repo: string;
  generatedAt: string;
  base: RevisionInfo;
  head: RevisionInfo;
  /** True when the cluster was compared (headVsLive and liveVsBase are filled). */
  live: boolean;
  /** Repo-relative files that differ between base and head. */
  changedFiles: string[];
  /** Apps of the base side, and how many of them were rendered again (the others' inputs are the head's). */
  rendering: { apps: number; renderedAgain: number };
  counts: PreviewCounts;
  environments: PreviewEnvironment[];
  /** What discovery of either side could not understand, each naming its file. */
  problems: DiscoveryProblem[];
}

/** Kinds left out of a preview (the peers' noise control). */
export interface PreviewSkips {
  /** Kinds by name (`ConfigMap`) or `kind.group` (`Certificate.cert-manager.io`). */
  kinds?: string[];
  /** CustomResourceDefinitions. */
  crds?: boolean;
  /** v1 Secrets. */
  secrets?: boolean;
}

export const NO_CHANGES: PreviewCounts = { added: 0, changed: 0, removed: 0, pruned: 0, unchanged: 0 };

/** Exit status of a preview: 1 when anything changes, 2 when an app could not be compared, else 0. */
export function previewExitCode(result: PreviewResult): 0 | 1 | 2 {
  const { added, changed, removed, pruned } = result.counts;
  if (added + changed + removed + pruned > 0) return 1;
  const apps = result.environments.flatMap((environment) => environment.apps);
  return apps.some((app) => app.change === 'unknown') ? 2 : 0;
}
