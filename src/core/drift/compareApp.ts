// One app against one live snapshot: each desired object becomes Synced / OutOfSync / Missing / Unknown, each
// live object the app owns that Git no longer has becomes Extra. Objects stay unmasked in here; `toResult`
// masks Secrets once, where results leave the engine (unless the user explicitly asked to reveal them).
import {
  type AppDefinition, type ComparisonMode, type DesiredObject, type IgnoreRule, type KubeObject,
  type ObjectRef, type ResourceResult, type SyncStatus,
} from '../model';
import type { LiveSnapshot } from '../cluster/liveSnapshot';
import { refId, refOf } from '../identity';
import { changedPaths } from './changedPaths';
import { healthOf } from './health';
import type { RelatedObjects } from '../health/related';
import { hookOf } from './hooks';
import { applyIgnoreRules } from './ignoreRules';
import type { Slots } from '../concurrency';
import { maskSecretFields, maskSecretPair } from './maskSecrets';
import { beforeDryRunSteps, comparisonSteps, normalize } from './normalize';
import type { Predictor } from './predict';
import { isOwnedByApp, ownerKeysOfApp, ownerKeysOfLive } from './ownership';

/** A desired object with its namespace resolved, or the reason it cannot be compared at all. */
export interface ResolvedObject {
  desired: DesiredObject;
  ref: ObjectRef;
  /** Why this object cannot be compared before asking for it (kind not served, list forbidden, ...). */
  unknownReason?: string;
}

/** One compared resource with its normalized, unmasked objects (the comparison's evidence). */
export interface ComparedResource {
  ref: ObjectRef;
  status: SyncStatus;
  reason?: string;
  comparison?: ComparisonMode;
  desired?: DesiredObject;
  live?: KubeObject;
  predicted?: KubeObject;
  changedPaths?: string[];
}

export interface CompareAppOptions {
  snapshot: LiveSnapshot;
  predictor: Predictor;
  ignoreRules: IgnoreRule[];
  /** Ids (`refId`) of every object any app of the environment wants: those are never Extra. */
  wantedInEnvironment: Set<string>;
  /** Requests in flight, shared by all apps of the environment. */
  slots: Slots;
  signal?: AbortSignal;
}

export async function compareApp(app: AppDefinition, objects: ResolvedObject[], options: CompareAppOptions): Promise<ComparedResource[]> {
  const compared = await Promise.all(objects.map((object) => options.slots.run(() => {
    options.signal?.throwIfAborted();
    return compareObject(object, options);
  })));
  return [...compared, ...findExtras(app, options)];
}

async function compareObject(object: ResolvedObject, options: CompareAppOptions): Promise<ComparedResource> {
  const { ref, desired } = object;
  const unknownReason = object.unknownReason ?? desired.unknownReason;
  if (unknownReason) return { ref, status: 'Unknown', reason: unknownReason, desired };
  const found = options.snapshot.find(ref);
  if (!found) {
    const refusal = await options.predictor.refusalToCreate(desired.object);
    return { ref, status: 'Missing', reason: refusal ? `not found in the cluster, and the server refuses to create it: ${refusal}` : 'not found in the cluster', desired };
  }
  const prediction = await options.predictor.predict(desired.object, found);
  if ('unknownReason' in prediction) return { ref, status: 'Unknown', reason: prediction.unknownReason, desired, live: found };
  // The live object itself as the prediction (managedFields proved the apply a no-op): nothing can differ.
  const paths = prediction.predicted === found ? [] : changedPaths(normalizeForComparison(found, options.ignoreRules), normalizeForComparison(prediction.predicted, options.ignoreRules));
  return {
    ref, desired, live: found, predicted: prediction.predicted, comparison: prediction.comparison, changedPaths: paths,
    status: paths.length ? 'OutOfSync' : 'Synced',
    ...(paths.length ? { reason: `changed: ${paths.join(', ')}` } : {}),
  };
}

/** Live objects by owner key (ownerKeysOfLive), built once per snapshot and shared by its apps. */
const ownerIndexes = new WeakMap<LiveSnapshot, Map<string, KubeObject[]>>();

function ownerIndex(snapshot: LiveSnapshot): Map<string, KubeObject[]> {
  let index = ownerIndexes.get(snapshot);
  if (!index) {
    index = new Map();
    for (const live of snapshot.allObjects()) {
      for (const key of ownerKeysOfLive(live)) {
        const owned = index.get(key);
        if (owned) owned.push(live);
        else index.set(key, [live]);
      }
    }
    ownerIndexes.set(snapshot, index);
  }
  return index;
}

/** Live objects that may be the app's Extras: candidates by owner key, before the full ownership test. */
function extraCandidates(app: AppDefinition, snapshot: LiveSnapshot): Set<KubeObject> {
  const index = ownerIndex(snapshot);
  return new Set(ownerKeysOfApp(app).flatMap((key) => index.get(key) ?? []));
}

/**
 * Everything of the live side an app's comparison reads, as text: each desired object's live resourceVersion
 * (or why it cannot be compared), and each Extra candidate's with whether another app wants it. Equal texts
 * (with an equal render and ignore rules) compare equally.
 */
export function liveInputsOf(app: AppDefinition, objects: ResolvedObject[], options: Pick<CompareAppOptions, 'snapshot' | 'wantedInEnvironment'>): string {
  const lines = objects.map((object) =>
    `${refId(object.ref)} ${object.unknownReason ?? object.desired.unknownReason ?? options.snapshot.find(object.ref)?.metadata.resourceVersion ?? '-'}`);
  for (const live of extraCandidates(app, options.snapshot)) {
    const id = refId(refOf(live));
    lines.push(`extra? ${id} ${live.metadata.resourceVersion} ${options.wantedInEnvironment.has(id)}`);
  }
  return lines.join('\n');
}

/** Candidates first (by owner key), then the full ownership test: scanning every live object per app was quadratic. */
function findExtras(app: AppDefinition, options: CompareAppOptions): ComparedResource[] {
  const extras: ComparedResource[] = [];
  for (const live of extraCandidates(app, options.snapshot)) {
    const ref = refOf(live);
    if (options.wantedInEnvironment.has(refId(ref)) || !isOwnedByApp(live, app)) continue;
    // A hook the controller left behind (its delete policy keeps it) is not a prune candidate.
    if (hookOf(live, app) !== undefined) continue;
    extras.push({ ref, status: 'Extra', reason: `owned by app ${app.name} but no longer in Git`, live });
  }
  return extras;
}

function normalizeForComparison(object: KubeObject, ignoreRules: IgnoreRule[]): KubeObject {
  return applyIgnoreRules(normalize(object, comparisonSteps), ignoreRules);
}

/**
 * The result as it leaves the engine, plain data: both sides normalized, Secrets masked unless `reveal` (the
 * explicit "Reveal secret values" request), health of the live object (reading `related`: the objects beside it
 * some health checks need), and where Git defines it. Their YAML
 * text is made only for a diff being shown (`resourceYaml`).
 */
export function toResult(resource: ComparedResource, ignoreRules: IgnoreRule[], reveal = false, related?: RelatedObjects): ResourceResult {
  const { ref } = resource;
  const live = resource.live && normalizeForComparison(resource.live, ignoreRules);
  // Without a prediction (Missing, Unknown) the desired side is Git's object as it would be sent.
  const desiredObject = resource.predicted ?? (resource.desired && normalize(resource.desired.object, beforeDryRunSteps));
  const desired = desiredObject === resource.live ? live : desiredObject && normalizeForComparison(desiredObject, ignoreRules);
  const masked = maskSecretPair(live, desired);
  const shown = reveal ? { live, desired } : maskSecretFields(masked.live, masked.desired, resource.desired?.secretPaths);
  const health = resource.live ? healthOf(resource.live, related) : resource.status === 'Missing' ? { status: 'Missing' as const } : undefined;
  return {
    apiVersion: ref.apiVersion, kind: ref.kind, ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name,
    status: resource.status,
    ...(health ? { health: health.status } : {}),
    ...(health?.message ? { healthMessage: health.message } : {}),
    ...(health?.summary ? { healthSummary: health.summary } : {}),
    ...(resource.reason ? { reason: resource.reason } : {}),
    ...(resource.comparison ? { comparison: resource.comparison } : {}),
    ...(resource.desired ? { source: resource.desired.source } : {}),
    ...(resource.changedPaths?.length ? { changedPaths: resource.changedPaths } : {}),
    ...(shown.live ? { live: shown.live } : {}),
    ...(shown.desired ? { desired: shown.desired } : {}),
  };
}
