// One environment (one kube context) end to end: ask the server which kinds it serves, resolve each desired
// object's namespace, read the live side with one LIST per kind and namespace, then compare app by app. A
// failure of the whole cluster (unreachable, credentials refused) is thrown as a ClusterError for the caller to
// put on the environment; anything narrower becomes Unknown on the objects it concerns.
import { isClusterWideFailure } from '../cluster/errors';
import { messageOf } from '../errors';
import { kindId, refId, refOf } from '../identity';
import type { AppResult, IgnoreRule, ObjectRef, RenderedApp } from '../model';
import { LiveSnapshot, noSuchKindReason, type ListedVersion, type ListingClient, type ListKey, type ListOutcome } from '../cluster/liveSnapshot';
import { compareApp, liveInputsOf, toResult, type ResolvedObject } from './compareApp';
import { relatedFromSnapshot, relatedListKeys, relatedVersionsOf } from '../health/related';
import { withoutHooks } from './hooks';
import type { ComparisonCache } from './comparisonCache';
import { mapWithLimit, Slots } from '../concurrency';
import type { DryRunClient, Predictor } from './predict';
import { appStatus, countStatuses, describedApp } from './summarize';
import { directSyncRevision } from './directSyncRevision';

/** The part of ClusterClient one environment's comparison needs. */
export interface EnvironmentClient extends ListingClient, DryRunClient {
  resourceFor(apiVersion: string, kind: string): Promise<{ namespaced: boolean } | undefined>;
}

export interface CompareEnvironmentOptions {
  client: EnvironmentClient;
  predictor: Predictor;
  ignoreRules: IgnoreRule[];
  /** Namespace for namespaced objects that name none and whose app sets none (the context's namespace). */
  defaultNamespace: string;
  concurrency: number;
  signal?: AbortSignal;
  /** Return Secrets unmasked (only for an explicit reveal). */
  reveal?: boolean;
  /** Results of the previous comparison on this context: reused for apps whose render and live objects are unchanged. */
  previous?: ComparisonCache;
  /**
   * Kinds and namespaces to list besides those Git has (what an earlier comparison listed, what the apps'
   * controllers say they applied), so an object an app owns of a kind Git no longer has at all is found as Extra.
   * May still be arriving: it is awaited alongside the server's kinds.
   */
  alsoList?: ListKey[] | Promise<ListKey[]>;
  /** LISTs of this context shared with other comparisons of the same operation (SharedLists.of). */
  sharedLists?: Map<string, Promise<ListOutcome>>;
}

export async function compareEnvironment(rendered: RenderedApp[], options: CompareEnvironmentOptions): Promise<{
  apps: AppResult[];
  lists: number;
  /** Apps whose previous results were reused. */
  reused: number;
  /** The LISTs that succeeded, with their resourceVersions: what a watch follows until the next comparison. */
  listed: ListedVersion[];
}> {
  // Hook objects (hooks.ts) are not compared: each app's render without them, its hooks listed on its result.
  const split = rendered.map(withoutHooks);
  const hooksOf = new Map(split.map((entry) => [entry.rendered, entry.hooks]));
  rendered = split.map((entry) => entry.rendered);
  const comparable = rendered.filter((app) => !appReason(app));
  const [kinds, alsoList] = await Promise.all([serverKinds(comparable, options), options.alsoList ?? []]);
  const resolved = new Map(comparable.map((app) => [app, app.objects.map((desired) => resolveObject(desired, app, kinds, options))]));
  const allResolved = [...resolved.values()].flat();
  const keys = withKeys(listKeys(allResolved, kinds), alsoList);
  const snapshot = await LiveSnapshot.read(options.client, keys, { concurrency: options.concurrency, signal: options.signal, shared: options.sharedLists });
  for (const key of keys) {
    const outcome = snapshot.outcome(key);
    if (outcome?.state === 'failed' && isClusterWideFailure(outcome.error)) throw outcome.error;
  }
  for (const object of allResolved) {
    const outcome = object.unknownReason ? undefined : snapshot.outcome(listKeyOf(object.ref, kinds));
    if (outcome?.state === 'failed') object.unknownReason = messageOf(outcome.error);
  }
  const wantedInEnvironment = new Set(allResolved.map((object) => refId(object.ref)));
  // What health reads beside the objects (a Rollout's ReplicaSets, a Canary's Events): read once, not watched.
  const compared = allResolved.filter((object) => !object.unknownReason);
  const relatedSnapshot = await LiveSnapshot.read(options.client, relatedListKeys(compared.map((object) => object.ref)), {
    concurrency: options.concurrency, signal: options.signal, shared: options.sharedLists,
  });
  const related = relatedFromSnapshot(relatedSnapshot);
  const ignoreRules = JSON.stringify(options.ignoreRules);
  let reused = 0;
  // Apps compare side by side, sharing the environment's requests in flight: one after another, each app's few
  // dry-runs were round trips waited for in turn.
  const slots = new Slots(options.concurrency);
  const apps = await Promise.all(rendered.map(async (app): Promise<AppResult> => {
    const reason = appReason(app);
    const inputs = options.previous && !reason && !options.reveal
      ? `${app.inputHash}\n${ignoreRules}\n${liveInputsOf(app.app, resolved.get(app) ?? [], { snapshot, wantedInEnvironment })}` +
        (resolved.get(app) ?? []).map((object) => relatedVersionsOf(object.ref, relatedSnapshot)).filter(Boolean).map((versions) => `\nrelated ${versions}`).join('')
      : undefined;
    const previous = inputs === undefined ? undefined : options.previous?.get(app, inputs);
    if (previous) {
      reused += 1;
      return previous;
    }
    const resources = reason ? [] : await compareApp(app.app, resolved.get(app) ?? [], {
      snapshot, predictor: options.predictor, ignoreRules: options.ignoreRules, wantedInEnvironment, slots, signal: options.signal,
    });
    const results = resources.map((resource) => toResult(resource, options.ignoreRules, options.reveal, related));
    const counts = countStatuses(results);
    const result: AppResult = {
      ...describedApp(app.app), status: appStatus(counts, reason), counts, resources: results, ...(reason ? { reason } : {}),
      ...(hooksOf.get(app)?.length ? { hooks: hooksOf.get(app) } : {}),
      ...(app.sourceNote ? { sourceNote: app.sourceNote } : {}),
    };
    // An app Driftline syncs itself: the commit its last sync recorded (directSyncRevision.ts).
    const directSync = app.app.controller || reason ? undefined : directSyncRevision((resolved.get(app) ?? [])
      .filter((object) => !object.unknownReason && snapshot.outcome(listKeyOf(object.ref, kinds))?.state === 'listed')
      .map((object) => snapshot.find(object.ref)));
    if (directSync) result.directSync = directSync;
    if (inputs !== undefined) options.previous?.set(app, inputs, result);
    return result;
  }));
  return { apps, lists: keys.length, reused, listed: snapshot.listedVersions() };
}

/** Why a whole app cannot be compared: discovery knew already, or rendering failed (the tool's own words). */
export function appReason(app: RenderedApp): string | undefined {
  return app.app.unknownReason ?? app.error;
}

type KindTable = Map<string, { namespaced: boolean } | undefined>;

/** A kind at one version, as discovery serves it (its scope is the same at every version, but not every version is served). */
const servedKindId = (apiVersion: string, kind: string) => `${apiVersion}\u0000${kind}`;

/** Which of the kinds the apps use the server serves, and their scope (one discovery call per group/version). */
async function serverKinds(apps: RenderedApp[], options: CompareEnvironmentOptions): Promise<KindTable> {
  const wanted = new Map<string, [string, string]>();
  for (const app of apps) {
    for (const { object } of app.objects) wanted.set(servedKindId(object.apiVersion, object.kind), [object.apiVersion, object.kind]);
  }
  const entries = await mapWithLimit([...wanted.entries()], options.concurrency, async ([id, [apiVersion, kind]]) => {
    const resource = await options.client.resourceFor(apiVersion, kind);
    return [id, resource && { namespaced: resource.namespaced }] as const;
  }, options.signal);
  return new Map(entries);
}

function resolveObject(desired: RenderedApp['objects'][number], app: RenderedApp, kinds: KindTable, options: CompareEnvironmentOptions): ResolvedObject {
  const ref = refOf(desired.object);
  const scope = kinds.get(servedKindId(ref.apiVersion, ref.kind));
  if (!scope) return { desired, ref, unknownReason: noSuchKindReason(ref.apiVersion, ref.kind) };
  if (scope.namespaced) ref.namespace = ref.namespace ?? app.app.namespace ?? options.defaultNamespace;
  else delete ref.namespace;
  if (desired.object.metadata.namespace === ref.namespace) return { desired, ref };
  // The server refuses a cluster-scoped object that names a namespace, and needs one on a namespaced object.
  const { namespace: _ignored, ...metadata } = desired.object.metadata;
  return { desired: { ...desired, object: { ...desired.object, metadata: ref.namespace ? { ...metadata, namespace: ref.namespace } : metadata } }, ref };
}

function listKeyOf(ref: ObjectRef, kinds: KindTable): ListKey {
  const namespaced = kinds.get(servedKindId(ref.apiVersion, ref.kind))?.namespaced;
  return { apiVersion: ref.apiVersion, kind: ref.kind, ...(namespaced ? { namespace: ref.namespace } : {}) };
}

/**
 * `keys` and those of `more` for another kind or namespace. One kind is served at several versions: a second LIST
 * of it would show each of its objects twice.
 */
function withKeys(keys: ListKey[], more: ListKey[]): ListKey[] {
  const sameObjects = (key: ListKey) => `${kindId(key)}/${key.namespace ?? ''}`;
  const known = new Set(keys.map(sameObjects));
  const added: ListKey[] = [];
  for (const { apiVersion, kind, namespace } of more) {
    const key = { apiVersion, kind, ...(namespace ? { namespace } : {}) };
    if (known.has(sameObjects(key))) continue;
    known.add(sameObjects(key));
    added.push(key);
  }
  return [...keys, ...added];
}

/**
 * One LIST per served kind and namespace. Each namespaced kind is listed in every namespace the environment
 * uses, so an Extra object of that kind is found even where Git no longer puts one of its kind.
 */
function listKeys(objects: ResolvedObject[], kinds: KindTable): ListKey[] {
  const namespaces = new Set(objects.filter((object) => !object.unknownReason && object.ref.namespace).map((object) => object.ref.namespace as string));
  const keys = new Map<string, ListKey>();
  for (const object of objects) {
    if (object.unknownReason) continue;
    const { apiVersion, kind } = object.ref;
    const scopes = kinds.get(servedKindId(apiVersion, kind))?.namespaced ? [...namespaces] : [undefined];
    for (const namespace of scopes) {
      keys.set(`${apiVersion}/${kind}/${namespace ?? ''}`, { apiVersion, kind, ...(namespace ? { namespace } : {}) });
    }
  }
  return [...keys.values()];
}
