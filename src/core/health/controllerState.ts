// What a GitOps controller says of an app in its cluster: whether its last reconcile worked, the revision it
// applied and tried, its source's state, and how far that revision is behind this clone's branch. Read from the
// controller's own status (Flux kustomize-/helm-/source-controller, Argo CD), never guessed.
import type { ControllerRef } from '../model';

/** A condition's status as the controllers write it; `undefined`: the object has no Ready condition (yet). */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** The commits of `ref` that the applied revision does not have, newest first. */
export interface RevisionBehind {
  /** What it is compared with: the remote-tracking branch (`origin/main`), or `HEAD` when the branch tracks none. */
  ref: string;
  /** Commits in `<revision>..<ref>`, the whole range. */
  count: number;
  /** The newest of them (at most 50); `touchesApp` when the commit changed a file the app renders from. */
  commits: { sha: string; subject: string; touchesApp?: boolean }[];
  /** Commits in `<revision>..HEAD`, when `ref` is the remote-tracking branch and HEAD is elsewhere. */
  headCount?: number;
}

/** A Flux source (GitRepository, OCIRepository, HelmRepository, HelmChart, Bucket) the controller reads from. */
export interface SourceState {
  kind: string;
  namespace: string;
  name: string;
  ready: ConditionStatus | undefined;
  reason?: string;
  /** The Ready condition's message ("failed to checkout and determine revision: authentication required"). */
  message?: string;
  /** `status.artifact.revision`: what the source last fetched. */
  revision?: string;
  suspended?: boolean;
  lastReconciled?: string;
}

/** One condition beside Ready that says something on its own (Healthy, Released, Remediated, TestSuccess, Stalled). */
export interface ControllerCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
}

export interface ControllerState extends ControllerRef {
  /**
   * Flux: the Ready condition. Argo CD: `False` when the last operation failed, the app is Degraded or a
   * comparison/sync error is reported; `True` when Synced and Healthy; `Unknown` otherwise. Absent when the live
   * object was not read (or has no Ready condition yet); `message` then says why.
   */
  ready?: ConditionStatus;
  reason?: string;
  message?: string;
  /** When the controller last reconciled: `status.lastHandledReconcileAt`, the Ready condition's lastTransitionTime, or Argo CD `reconciledAt`. */
  lastReconciled?: string;
  /** `spec.suspend` (Flux). */
  suspended?: boolean;
  /** Flux Kustomization `lastAppliedRevision` (`main@sha1:<sha>`), HelmRelease chart version, Argo CD deployed revision. */
  appliedRevision?: string;
  /** What the controller last tried (`lastAttemptedRevision`, Argo CD's running or failed operation's revision). */
  attemptedRevision?: string;
  /** When `appliedRevision` is a commit of this clone: how far it is behind the branch. */
  behind?: RevisionBehind;
  /** Why there is no `behind`: "a1b2c3d is not in this clone: fetch". */
  revisionNote?: string;
  source?: SourceState;
  /** Conditions beside Ready that carry their own result (health checks, release, remediation, tests). */
  conditions?: ControllerCondition[];
  /** HelmRelease: `status.installFailures` / `upgradeFailures` since the last success. */
  failures?: { install?: number; upgrade?: number };
  /** HelmRelease: the latest release in `status.history` (Flux v2). */
  release?: { chartName?: string; chartVersion?: string; appVersion?: string; version?: number; status?: string; digest?: string; configDigest?: string };
  /** Argo CD Application: sync and health status, and the last operation. */
  argo?: { syncStatus?: string; healthStatus?: string; healthMessage?: string; operationPhase?: string; operationMessage?: string };
}

/** The revision Driftline recorded on the objects it applied for an app it syncs directly (no controller). */
export interface DirectSyncState {
  /** The commit (`<sha>`, `<sha>-dirty` when the app's files had uncommitted changes). */
  revision: string;
  behind?: RevisionBehind;
  revisionNote?: string;
}

/** The Git commit a revision names, when it names one: `main@sha1:<sha>`, `sha1:<sha>`, `main/<sha>`, a bare sha. */
export function commitOfRevision(revision: string | undefined): string | undefined {
  const match = revision?.match(/(?:^|@sha1:|^sha1:|\/)([0-9a-f]{40})(?:-dirty)?$/);
  return match?.[1];
}

/** `a1b2c3d` for a revision naming a commit, the revision itself otherwise (a chart version, an OCI digest). */
export function shortRevision(revision: string): string {
  const commit = commitOfRevision(revision);
  return commit ? `${commit.slice(0, 7)}${revision.endsWith('-dirty') ? '-dirty' : ''}` : revision;
}

/** `{ [key]: value }` when `value` is a non-empty string (status fields are untyped JSON), else `{}`. */
export function stringField<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return (typeof value === 'string' && value ? { [key]: value } : {}) as { [P in K]?: string };
}
