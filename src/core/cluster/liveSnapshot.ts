// The live side of one comparison: one LIST per kind and namespace (never one GET per object), read with a
// bounded number of requests in flight. A LIST that fails (forbidden namespace, kind not served) is kept as
// an outcome with the server's reason, so only the objects it covers become Unknown.
import { messageOf } from '../errors';
import { describeRef, groupOf } from '../identity';
import type { KubeObject, ObjectRef } from '../model';
import { mapWithLimit } from '../concurrency';

/** The part of ClusterClient this module reads with. */
export interface ListingClient {
  list(apiVersion: string, kind: string, options: { namespace?: string; labelSelector?: string }):
    Promise<{ items: KubeObject[]; resourceVersion?: string }>;
}

/** One LIST: a kind, in one namespace (namespaced kinds) or cluster-wide (cluster-scoped kinds). */
export interface ListKey {
  apiVersion: string;
  kind: string;
  namespace?: string;
}

/** A LIST that succeeded, and the resourceVersion it was read at. */
export type ListedVersion = ListKey & { resourceVersion: string };

export type ListOutcome =
  | { state: 'listed'; objects: KubeObject[]; resourceVersion?: string }
  | { state: 'failed'; reason: string; error: unknown };

export function listKeyId(key: ListKey): string {
  return `${key.apiVersion}\u0000${key.kind}\u0000${key.namespace ?? ''}`;
}

export class LiveSnapshot {
  /** Per LIST, its objects by name (made on the first lookup: an environment looks up every desired object). */
  private readonly byName = new Map<ListOutcome, Map<string, KubeObject>>();

  private constructor(private readonly outcomes: Map<string, ListOutcome>, private readonly keys: ListKey[]) {}

  static async read(
    client: ListingClient,
    keys: ListKey[],
    options: {
      concurrency: number; signal?: AbortSignal; describeFailure?: (key: ListKey, error: unknown) => string;
      /** LISTs of the same context already read or in flight (SharedLists): taken instead of listed again, and added to. */
      shared?: Map<string, Promise<ListOutcome>>;
    },
  ): Promise<LiveSnapshot> {
    const unique = [...new Map(keys.map((key) => [listKeyId(key), key])).values()];
    const outcomes = await mapWithLimit(unique, options.concurrency, async (key): Promise<[string, ListOutcome]> => {
      const id = listKeyId(key);
      let outcome = options.shared?.get(id);
      if (!outcome) {
        outcome = listOnce(client, key, options.describeFailure);
        options.shared?.set(id, outcome);
      }
      return [id, await outcome];
    }, options.signal);
    return new LiveSnapshot(new Map(outcomes), unique);
  }

  outcome(key: ListKey): ListOutcome | undefined {
    return this.outcomes.get(listKeyId(key));
  }

  /** The live object `ref` names, `undefined` if its LIST succeeded without it; throws if it was never listed. */
  find(ref: ObjectRef): KubeObject | undefined {
    const outcome = this.outcome(ref);
    if (!outcome || outcome.state !== 'listed') throw new Error(`${describeRef(ref)} was not listed`);
    let index = this.byName.get(outcome);
    if (!index) {
      index = new Map(outcome.objects.map((object) => [object.metadata.name, object]));
      this.byName.set(outcome, index);
    }
    return index.get(ref.name);
  }

  /** Each successful LIST with its resourceVersion: where a watch starts to see every later change. */
  listedVersions(): ListedVersion[] {
    return this.keys.flatMap((key) => {
      const outcome = this.outcome(key);
      return outcome?.state === 'listed' && outcome.resourceVersion ? [{ ...key, resourceVersion: outcome.resourceVersion }] : [];
    });
  }

  /** Every object of every successful LIST. */
  *allObjects(): Iterable<KubeObject> {
    for (const outcome of this.outcomes.values()) {
      if (outcome.state === 'listed') yield* outcome.objects;
    }
  }
}

async function listOnce(client: ListingClient, key: ListKey, describeFailure?: (key: ListKey, error: unknown) => string): Promise<ListOutcome> {
  try {
    const { items, resourceVersion } = await client.list(key.apiVersion, key.kind, key.namespace ? { namespace: key.namespace } : {});
    // List items carry no apiVersion/kind of their own; they are the kind that was asked for.
    const objects = items.map((item) => ({ ...item, apiVersion: key.apiVersion, kind: key.kind }));
    return { state: 'listed', objects, resourceVersion };
  } catch (error) {
    return { state: 'failed', reason: describeFailure?.(key, error) ?? messageOf(error), error };
  }
}

/** "no kind X in group Y": the message for a kind the server does not serve. */
export function noSuchKindReason(apiVersion: string, kind: string): string {
  const group = groupOf(apiVersion);
  return group
    ? `no kind ${kind} in group ${group} (${apiVersion}): is its CRD installed?`
    : `no kind ${kind} in ${apiVersion} on this server`;
}
