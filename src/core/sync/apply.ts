// Carrying out a sync plan: server-side apply as `driftline` in apply order, then prune. The plan's blocked
// objects and unforced conflicts stop it before the first write, so a refused sync changes nothing; with
// `skipRefused` the other objects are applied and the blocked ones (and what needs them) are left out.
import { DRIFTLINE_FIELD_MANAGER, describeRef, type KubeObject, type ObjectRef } from '../model';
import type { SyncClient } from './client';
import { describeConflicts } from './conflicts';
import { messageOf, SyncError } from './errors';
import type { AppliedChange, BlockedChange, PlannedChange, SyncPlan, SyncProgress, SyncResult } from './model';
import { refKey } from './inventory';
import { assertConfirmed } from './protect';
import { validateInPlace } from './validate';
import { withheldObjects } from './withheld';

export interface ApplySyncOptions {
  /** For a protected environment: the name the user typed (the CLI passes it for --yes). */
  confirmation?: string;
  signal?: AbortSignal;
  onProgress?: SyncProgress;
  /** How long a new CRD may take to be served before its objects are applied (default 30 s). */
  crdEstablishTimeoutMs?: number;
}

export async function applySyncPlan(workspaceClient: SyncClient, plan: SyncPlan, options: ApplySyncOptions = {}): Promise<SyncResult> {
  // Cancel aborts the apply in flight too, not only the next one.
  const client = workspaceClient.withSignal(options.signal);
  const where = `app ${plan.app} in environment ${plan.environment} (context "${plan.context}")`;
  assertConfirmed({ name: plan.environment, protected: plan.protected }, options.confirmation, `syncing ${where}`);
  const replacements = plan.replace ? plan.blocked.filter((b) => b.needsReplace && b.object) : [];
  const blocked = plan.blocked.filter((b) => !replacements.includes(b));
  if (blocked.length && !plan.skipRefused) {
    const reasons = blocked.map((b) => `${describeRef(b.ref)}: ${b.reason}`).join('\n  ');
    throw new SyncError(`Cannot sync ${where}; nothing was changed. These objects cannot be applied:\n  ${reasons}`);
  }
  const conflicted = plan.changes.filter((c) => c.conflicts?.length);
  if (conflicted.length && !plan.forceConflicts) {
    const details = conflicted.map((c) => `${describeRef(c.ref)}: ${describeConflicts(c.conflicts ?? [])}`).join('\n  ');
    throw new SyncError(
      `Syncing ${where} would take over fields other field managers own; nothing was changed:\n  ${details}\n` +
        'Force the sync (driftline sync --force-conflicts) to take them over.',
    );
  }
  const withheld = plan.skipRefused ? withheldObjects({ ...plan, blocked }) : new Map<string, { ref: ObjectRef; reason: string }>();
  const writes = plan.changes.filter((c) => (c.action === 'create' || c.action === 'update') && !withheld.has(refKey(c.ref)));
  const prerequisites = writes.filter((c) => isPrerequisiteKind(c.ref));
  const rest = writes.filter((c) => !isPrerequisiteKind(c.ref));
  const prunes = plan.changes.filter((c) => c.action === 'prune');
  const total = writes.length + replacements.length + (plan.prune ? prunes.length : 0);
  const result: SyncResult = { applied: [], skipped: [...withheld.values()] };
  const appliedSoFar = () => result.applied.map((a) => `${a.action} ${describeRef(a.ref)}`).join(', ');
  const step = async (change: PlannedChange, verb: string, work: () => Promise<AppliedChange | undefined>) => {
    options.signal?.throwIfAborted();
    options.onProgress?.(`${verb} ${describeRef(change.ref)}`, result.applied.length, total);
    try {
      const done = await work();
      if (done) result.applied.push(done);
    } catch (error) {
      // Stopped by the user: an abort, as when it stops between two objects (the request in flight was aborted).
      if (options.signal?.aborted) throw error;
      const before = result.applied.length ? ` after ${appliedSoFar()}` : ' before any change';
      const notYet = [...writes, ...(plan.prune ? prunes : [])].filter((c) => c !== change && !result.applied.some((a) => refKey(a.ref) === refKey(c.ref)));
      const left = notYet.length ? `; not applied: ${[change, ...notYet].map((c) => describeRef(c.ref)).join(', ')}` : '';
      throw new SyncError(`Sync of ${where} stopped at ${describeRef(change.ref)}${before}: ${messageOf(error)}${left}. ` +
        'Running the sync again applies the rest.', result.applied);
    }
  };
  const apply = (change: PlannedChange) => step(change, 'Applying', async () => {
    await client.serverSideApply(change.object as KubeObject, { dryRun: false, fieldManager: DRIFTLINE_FIELD_MANAGER, force: plan.forceConflicts });
    if (change.ref.kind === 'CustomResourceDefinition') await waitEstablished(client, change.ref, options);
    return { action: change.action as 'create' | 'update', ref: change.ref };
  });
  // Staged like Flux: Namespaces and CRDs first, then what could only be validated once they exist, before any of it is written.
  for (const change of prerequisites) await apply(change);
  await validateDeferred(client, rest.filter((c) => c.validateAfterPrerequisites), plan, where, result, options);
  for (const change of rest) await apply(change);
  for (const replacement of replacements) {
    await step({ action: 'update', ref: replacement.ref }, 'Replacing', () => replace(client, replacement, plan, options));
  }
  for (const change of prunes) {
    if (!plan.prune) {
      result.skipped.push({ ref: change.ref, reason: 'prune was not requested' });
      continue;
    }
    await step(change, 'Pruning', async () => {
      const why = await whyNotPrune(client, change);
      if (why) {
        result.skipped.push({ ref: change.ref, reason: why });
        return undefined;
      }
      if (!(await client.delete(change.ref))) {
        result.skipped.push({ ref: change.ref, reason: 'already gone' });
        return undefined;
      }
      return { action: 'prune', ref: change.ref };
    });
  }
  options.onProgress?.('Done', result.applied.length, total);
  return result;
}

/**
 * Delete and create again, for an immutable field change the user chose to replace: only the very object the
 * plan saw is deleted (uid precondition), and the new one is applied once the old one is gone.
 */
async function replace(client: SyncClient, replacement: BlockedChange, plan: SyncPlan, options: ApplySyncOptions): Promise<AppliedChange> {
  const live = await client.get(replacement.ref);
  if (live) {
    await client.delete(replacement.ref, { uid: live.metadata.uid as string | undefined });
    const deadline = Date.now() + (options.crdEstablishTimeoutMs ?? 30_000);
    while (await client.get(replacement.ref)) {
      options.signal?.throwIfAborted();
      if (Date.now() > deadline) throw new Error(`${describeRef(replacement.ref)} was deleted but is still there (a finalizer?); it was not created again`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  await client.serverSideApply(replacement.object as KubeObject, { dryRun: false, fieldManager: DRIFTLINE_FIELD_MANAGER, force: plan.forceConflicts });
  return { action: 'replace', ref: replacement.ref };
}

function isPrerequisiteKind(ref: ObjectRef): boolean {
  return (ref.kind === 'Namespace' && ref.apiVersion === 'v1') || ref.kind === 'CustomResourceDefinition';
}

/** Dry-runs the creates that had to wait for their Namespace or CRD; any refusal stops the sync before they are written. */
async function validateDeferred(client: SyncClient, changes: PlannedChange[], plan: SyncPlan, where: string, result: SyncResult, options: ApplySyncOptions): Promise<void> {
  if (!changes.length) return;
  options.onProgress?.(`Validating ${changes.length} object(s) against the new Namespaces and CRDs`, result.applied.length, changes.length);
  const refusals: string[] = [];
  for (const change of changes) {
    options.signal?.throwIfAborted();
    const validation = await validateInPlace(client, change.object as KubeObject, plan.forceConflicts);
    if (validation.outcome === 'refused') refusals.push(`${describeRef(change.ref)}: ${validation.reason}`);
  }
  if (!refusals.length) return;
  const applied = result.applied.map((a) => describeRef(a.ref)).join(', ');
  throw new SyncError(`Sync of ${where} stopped before writing its objects: the server refuses\n  ${refusals.join('\n  ')}\n` +
    `Only the prerequisites were applied (${applied}); nothing else was written.`, result.applied);
}

/** Why not to delete after all: the object is gone, or it is not the very object the user saw in the plan. */
async function whyNotPrune(client: SyncClient, change: PlannedChange): Promise<string | undefined> {
  const live = await client.get(change.ref);
  if (!live) return 'already gone';
  if (change.uid && live.metadata.uid !== change.uid) return 'it was recreated since the plan was made';
  return undefined;
}

/**
 * Until the CRD is Established and its kinds are in the server's discovery: the server updates discovery a moment
 * after Established, and an object of the new kind applied in between fails with "no kind".
 */
async function waitEstablished(client: SyncClient, ref: ObjectRef, options: ApplySyncOptions): Promise<void> {
  const deadline = Date.now() + (options.crdEstablishTimeoutMs ?? 30_000);
  for (;;) {
    options.signal?.throwIfAborted();
    const crd = await client.get(ref);
    const conditions = ((crd?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions) ?? [];
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True') && crd && await servesKinds(client, crd)) return;
    if (Date.now() > deadline) throw new Error(`${describeRef(ref)} was not established within ${(options.crdEstablishTimeoutMs ?? 30_000) / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Whether discovery lists the CRD's kind in every version it serves. */
async function servesKinds(client: SyncClient, crd: KubeObject): Promise<boolean> {
  const spec = crd.spec as { group?: string; names?: { kind?: string }; versions?: { name: string; served?: boolean }[] } | undefined;
  const kind = spec?.names?.kind;
  if (!spec?.group || !kind) return true;
  const versions = (spec.versions ?? []).filter((version) => version.served !== false);
  for (const version of versions) {
    if (!(await client.resourceFor(`${spec.group}/${version.name}`, kind))) return false;
  }
  return true;
}
