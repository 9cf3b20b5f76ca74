// Typed results of planning and applying a sync, and of asking a GitOps controller to reconcile.
import type { ControllerRef, KubeObject, ObjectRef, SourceLocation } from '../model';

export type SyncAction = 'create' | 'update' | 'unchanged' | 'prune';

/** Another field manager owns fields this apply would change: applying needs an explicit force. */
export interface FieldConflict {
  /** The field manager that owns the fields (e.g. `kubectl-client-side-apply`, `kube-controller-manager`). */
  manager: string;
  /** Fields as the server names them (`.spec.replicas`, `.data.key`). */
  fields: string[];
}

export interface PlannedChange {
  action: SyncAction;
  ref: ObjectRef;
  /** What is applied (with Driftline's tracking label): absent for prune. Holds Secret values: never print it. */
  object?: KubeObject;
  /** Where Git defines it (create/update/unchanged). */
  source?: SourceLocation;
  /** JSON pointers that the apply changes (update). */
  changedPaths?: string[];
  /** Fields other managers own that the apply would take over (update). */
  conflicts?: FieldConflict[];
  /** Why it is pruned (which tracking marks the app's ownership), or what else a create depends on. */
  note?: string;
  /** Live uid when planned: prune deletes only this very object, not one recreated since. */
  uid?: string;
  /**
   * A create that could not be dry-run before the Namespace or CRD this sync creates exists: applying validates
   * it (and every other such create) right after those, before writing any of them.
   */
  validateAfterPrerequisites?: boolean;
}

/**
 * An object the server refuses (with its words) or the plan could not decide on. A plan with any of these is not
 * applied unless the user chooses to apply the other objects (`skipRefused`).
 */
export interface BlockedChange {
  ref: ObjectRef;
  reason: string;
  /** An immutable field changes: only deleting and re-creating the object would apply it. */
  needsReplace?: boolean;
  /** What would have been applied, when it was rendered. Holds Secret values: never print it. */
  object?: KubeObject;
}

export interface SyncPlan {
  environment: string;
  context: string;
  app: string;
  protected: boolean;
  /** Every object, in apply order (Namespaces, CRDs, the rest), prune candidates last. */
  changes: PlannedChange[];
  blocked: BlockedChange[];
  /** What planning could not check (e.g. no right to list a kind when looking for prune candidates). */
  warnings: string[];
  /** Whether prune entries are deleted when the plan is applied. */
  prune: boolean;
  /** Whether fields owned by other managers are taken over. */
  forceConflicts: boolean;
  /** Whether to apply the other objects when some are blocked (those, and what needs them, are left out). */
  skipRefused: boolean;
  /**
   * Whether objects that need replacing (an immutable field changes) are deleted and created again. Never set by
   * default or by a general "yes": only by its own confirmation.
   */
  replace: boolean;
}

export interface AppliedChange {
  /** `replace`: deleted and created again, for an immutable field change the user chose to replace. */
  action: Exclude<SyncAction, 'unchanged'> | 'replace';
  ref: ObjectRef;
}

export interface SyncResult {
  applied: AppliedChange[];
  /** Prune candidates left in place because prune was off, or because they were no longer the app's. */
  skipped: { ref: ObjectRef; reason: string }[];
}

export type SyncProgress = (message: string, done: number, total: number) => void;

/** The outcome of asking a controller to reconcile and following it. */
export interface ControllerSyncResult {
  controller: ControllerRef;
  /** The token written to the request annotation (Flux) or the operation's info (Argo CD). */
  requestedAt: string;
  /** Ready condition (Flux) or operation phase (Argo CD) once handled. */
  outcome: 'Succeeded' | 'Failed';
  message: string;
}
