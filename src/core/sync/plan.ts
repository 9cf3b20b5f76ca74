// The sync plan: for every object Git has, what server-side apply would do to it (create, update with the
// changed fields and any field-manager conflicts, or nothing), and which live objects the app owns that Git no
// longer has (prune). Computed with dry-runs only: planning never changes the cluster.
import { stoppedBy } from '../abort';
import { isNoSuchKind } from '../cluster/errors';
import { changedPaths } from '../drift/changedPaths';
import { mapWithLimit } from '../concurrency';
import { kindId } from '../identity';
import { beforeDryRunSteps, comparisonSteps, normalize, removeDriftlineTracking } from '../drift/normalize';
import { isOwnedByApp } from '../drift/ownership';
import {
  describeRef, refOf,
  type AppDefinition, type DesiredObject, type KubeObject, type ObjectRef,
} from '../model';
import type { SyncClient } from './client';
import { parseApplyConflicts } from './conflicts';
import { clusterReason, messageOf, serverMessage } from './errors';
import { dryRunApply, refusalOf, validateInExistingNamespace, type Validation } from './validate';
import { controllerInventory, refKey } from './inventory';
import type { BlockedChange, FieldConflict, PlannedChange, SyncPlan } from './model';
import { inApplyOrder, inPruneOrder } from './order';
import { trackingSelector, withTracking } from './tracking';

export interface PlanSyncInput {
  client: SyncClient;
  app: AppDefinition;
  environment: { name: string; context: string; protected: boolean };
  /** The app's rendered objects. */
  desired: DesiredObject[];
  /** Live objects the drift engine reported Extra for this app; ownership is checked again here. */
  extra?: ObjectRef[];
  /** The live Flux Kustomization / Argo CD Application of the app: its inventory marks ownership too. */
  controllerObject?: KubeObject;
  /** Delete the pruned objects when the plan is applied (they are listed either way). */
  prune?: boolean;
  /** Take over fields other managers own. */
  forceConflicts?: boolean;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  /** The commit the objects are rendered from (`<sha>`, `<sha>-dirty`): recorded on what is applied (tracking.ts). */
  revision?: string;
}

/** Driftline's label is compared here (unlike in drift status): adding it to an untracked object is a change. */
const planComparisonSteps = comparisonSteps.filter((step) => step !== removeDriftlineTracking);

export async function planSync(input: PlanSyncInput): Promise<SyncPlan> {
  const { app } = input;
  const concurrency = input.concurrency ?? 8;
  const desired = await withResolvedNamespaces(input);
  const createdHere = prerequisitesCreatedBy(desired.map((d) => d.object));
  const decided = await mapWithLimit(desired, concurrency, (object) => planObject(input, object, createdHere), input.signal);
  const changes = decided.filter((d): d is PlannedChange => 'action' in d);
  const blocked = decided.filter((d): d is BlockedChange => !('action' in d));
  const prunes = await planPrunes({ ...input, desired }, concurrency);
  return {
    environment: input.environment.name,
    context: input.environment.context,
    app: app.name,
    protected: input.environment.protected,
    changes: [...inApplyOrder(changes, (c) => c.ref), ...inPruneOrder(prunes.changes, (c) => c.ref)],
    blocked,
    warnings: prunes.warnings,
    prune: input.prune ?? false,
    forceConflicts: input.forceConflicts ?? false,
    skipRefused: false,
    replace: false,
  };
}

/**
 * Namespaced objects without a namespace go to the app's namespace, else the context's default, as the server
 * would put them: the plan must name objects exactly as they live, or a live object could look like an
 * Extra one. Cluster-scoped objects lose a stray namespace. A kind the server does not serve is left as it is
 * (planning it says so); when the server cannot say whether the kind is namespaced (Forbidden, Unreachable),
 * the object is blocked with the cluster's message: guessing could plan it in the wrong namespace.
 */
async function withResolvedNamespaces(input: PlanSyncInput): Promise<DesiredObject[]> {
  const kinds = new Map<string, Promise<{ namespaced: boolean } | undefined | { failure: string }>>();
  const resolve = (apiVersion: string, kind: string) => input.client.resourceFor(apiVersion, kind).catch((error: unknown) => {
    if (stoppedBy(error, input.signal)) throw error;
    return isNoSuchKind(error) ? undefined : { failure: messageOf(error) };
  });
  return Promise.all(input.desired.map(async (desired) => {
    const { apiVersion, kind, metadata } = desired.object;
    const key = `${apiVersion}/${kind}`;
    if (!kinds.has(key)) kinds.set(key, resolve(apiVersion, kind));
    const resource = await kinds.get(key);
    if (!resource) return desired;
    if ('failure' in resource) return desired.unknownReason ? desired : { ...desired, unknownReason: resource.failure };
    if (resource.namespaced && !metadata.namespace) {
      const object = structuredClone(desired.object);
      object.metadata.namespace = input.app.namespace ?? input.client.defaultNamespace;
      return { ...desired, object };
    }
    if (!resource.namespaced && metadata.namespace) {
      const object = structuredClone(desired.object);
      delete object.metadata.namespace;
      return { ...desired, object };
    }
    return desired;
  }));
}

/** Namespaces and CRD kinds this sync creates itself: objects that need them cannot be dry-run before. */
interface Prerequisites {
  namespaces: Set<string>;
  /** `group/Kind` of each CRD in the app. */
  kinds: Set<string>;
}

function prerequisitesCreatedBy(objects: KubeObject[]): Prerequisites {
  const namespaces = new Set<string>();
  const kinds = new Set<string>();
  for (const object of objects) {
    if (object.apiVersion === 'v1' && object.kind === 'Namespace') namespaces.add(object.metadata.name);
    if (object.kind === 'CustomResourceDefinition') {
      const spec = object.spec as { group?: string; names?: { kind?: string } } | undefined;
      kinds.add(`${spec?.group}/${spec?.names?.kind}`);
    }
  }
  return { namespaces, kinds };
}

async function planObject(input: PlanSyncInput, desired: DesiredObject, createdHere: Prerequisites): Promise<PlannedChange | BlockedChange> {
  const object = normalize(withTracking(desired.object, input.app, input.revision), beforeDryRunSteps);
  const ref = refOf(object);
  if (desired.unknownReason) return { ref, reason: desired.unknownReason };
  const base = { ref, object, source: desired.source };
  const prerequisite = prerequisiteCreatedHere(ref, createdHere);
  let live: KubeObject | undefined;
  try {
    live = await input.client.get(ref);
  } catch (error) {
    // A kind nobody serves blocks the sync, unless a CRD of this very sync brings it.
    if (prerequisite?.kind === 'crd' && clusterReason(error) === 'NoSuchKind') return deferred(base, prerequisite);
    return { ref, object, reason: messageOf(error) };
  }
  let predicted: KubeObject;
  let conflicts: FieldConflict[] = [];
  try {
    predicted = await dryRunApply(input.client, object, false);
  } catch (error) {
    if (!live && prerequisite) return planBeforeItsPrerequisite(input, base, prerequisite);
    if (clusterReason(error) !== 'Conflict') return blockedBy(base, refusalOf(error));
    conflicts = parseApplyConflicts(serverMessage(error));
    try {
      predicted = await dryRunApply(input.client, object, true);
    } catch (forcedError) {
      return blockedBy(base, refusalOf(forcedError));
    }
  }
  if (!live) return { ...base, action: 'create' };
  const paths = changedPaths(normalize(live, planComparisonSteps), normalize(predicted, planComparisonSteps));
  if (paths.length === 0) return { ...base, action: 'unchanged' };
  return { ...base, action: 'update', changedPaths: paths, ...(conflicts.length ? { conflicts } : {}) };
}

type PlannedBase = Pick<PlannedChange, 'ref' | 'object' | 'source'>;

/** A create whose Namespace this sync makes: validated now in a namespace that exists, else right after its Namespace. */
async function planBeforeItsPrerequisite(input: PlanSyncInput, base: PlannedBase & { object: KubeObject }, prerequisite: Prerequisite): Promise<PlannedChange | BlockedChange> {
  if (prerequisite.kind === 'crd') return deferred(base, prerequisite);
  const validation = await validateInExistingNamespace(input.client, base.object, input.client.defaultNamespace);
  if (validation.outcome === 'refused') return blockedBy(base, validation);
  if (validation.outcome === 'deferred') return deferred(base, prerequisite);
  return { ...base, action: 'create', note: prerequisite.note };
}

function deferred(base: PlannedBase, prerequisite: Prerequisite): PlannedChange {
  return { ...base, action: 'create', note: `${prerequisite.note}; validated once it exists`, validateAfterPrerequisites: true };
}

function blockedBy({ ref, object }: PlannedBase, refusal: Extract<Validation, { outcome: 'refused' }>): BlockedChange {
  return { ref, object, reason: refusal.reason, ...(refusal.needsReplace ? { needsReplace: true } : {}) };
}

interface Prerequisite {
  kind: 'crd' | 'namespace';
  note: string;
}

function prerequisiteCreatedHere(ref: ObjectRef, createdHere: Prerequisites): Prerequisite | undefined {
  if (createdHere.kinds.has(kindId(ref))) return { kind: 'crd', note: 'its CustomResourceDefinition is created first by this sync' };
  if (ref.namespace && createdHere.namespaces.has(ref.namespace)) return { kind: 'namespace', note: `its Namespace ${ref.namespace} is created first by this sync` };
  return undefined;
}

/** Live objects the app owns that Git no longer has. */
async function planPrunes(input: PlanSyncInput, concurrency: number): Promise<{ changes: PlannedChange[]; warnings: string[] }> {
  const desiredKeys = new Set(input.desired.map((d) => refKey(refOf(d.object))));
  const inventory = input.controllerObject ? controllerInventory(input.controllerObject) : [];
  const inventoryKeys = new Set(inventory.map(refKey));
  const { refs: labelled, warnings } = await findLabelled(input);
  const candidates = new Map<string, ObjectRef>();
  for (const ref of [...(input.extra ?? []), ...labelled, ...inventory]) {
    const key = refKey(ref);
    if (!desiredKeys.has(key) && !candidates.has(key)) candidates.set(key, ref);
  }
  const decided = await mapWithLimit([...candidates.values()], concurrency, async (ref): Promise<PlannedChange | undefined> => {
    let live: KubeObject | undefined;
    try {
      live = await input.client.get(ref);
    } catch (error) {
      warnings.push(`Cannot check ${describeRef(ref)} for prune: ${messageOf(error)}`);
      return undefined;
    }
    if (!live) return undefined;
    const note = ownershipNote(live, input, inventoryKeys);
    if (!note) return undefined;
    const uid = live.metadata.uid as string | undefined;
    return { action: 'prune', ref: refOf(live), note, ...(uid ? { uid } : {}) };
  }, input.signal);
  return { changes: decided.filter((c): c is PlannedChange => c !== undefined), warnings };
}

/** Why the app owns a live object, or undefined when it does not (then it is never pruned). */
export function ownershipNote(live: KubeObject, input: Pick<PlanSyncInput, 'app' | 'controllerObject'>, inventoryKeys: Set<string>): string | undefined {
  if (isOwnedByApp(live, input.app)) return `tracked as part of app ${input.app.name}`;
  const controller = input.controllerObject;
  if (controller && inventoryKeys.has(refKey(refOf(live)))) {
    return `listed in the inventory of ${controller.kind} ${controller.metadata.namespace}/${controller.metadata.name}`;
  }
  return undefined;
}

/**
 * Objects carrying Driftline's label for the app, for each kind the app has, in the app's own namespaces
 * (cluster-wide for cluster-scoped kinds). Never all namespaces: another repo's app of the same name in the
 * same cluster must not look like ours.
 */
async function findLabelled(input: PlanSyncInput): Promise<{ refs: ObjectRef[]; warnings: string[] }> {
  const namespaces = new Set(input.desired.map((d) => d.object.metadata.namespace).filter((n): n is string => !!n));
  if (input.app.namespace) namespaces.add(input.app.namespace);
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const { object } of input.desired) kinds.set(`${object.apiVersion}/${object.kind}`, { apiVersion: object.apiVersion, kind: object.kind });
  const warnings: string[] = [];
  // Whether a kind is namespaced is the server's word (discovery, cached by the client): a namespaced kind
  // listed without a namespace would search every namespace, where another repo's app of the same name lives.
  const scoped = await mapWithLimit([...kinds.values()], input.concurrency ?? 8, async ({ apiVersion, kind }) => {
    try {
      const resource = await input.client.resourceFor(apiVersion, kind);
      return resource ? [{ apiVersion, kind, namespaced: resource.namespaced }] : [];
    } catch (error) {
      if (stoppedBy(error, input.signal)) throw error;
      warnings.push(`Cannot look for ${kind} objects to prune: ${messageOf(error)}`);
      return [];
    }
  }, input.signal);
  const lists: { apiVersion: string; kind: string; namespace?: string }[] = scoped.flat().flatMap(({ apiVersion, kind, namespaced }) =>
    namespaced ? [...namespaces].map((namespace) => ({ apiVersion, kind, namespace })) : [{ apiVersion, kind }]);
  const labelSelector = trackingSelector(input.app);
  const found = await mapWithLimit(lists, input.concurrency ?? 8, async ({ apiVersion, kind, namespace }) => {
    try {
      return (await input.client.list(apiVersion, kind, { namespace, labelSelector })).items;
    } catch (error) {
      if (clusterReason(error) !== 'NoSuchKind') {
        warnings.push(`Cannot look for ${kind} objects to prune${namespace ? ` in namespace ${namespace}` : ''}: ${messageOf(error)}`);
      }
      return [];
    }
  }, input.signal);
  return { refs: found.flat().map(refOf), warnings };
}
