// Follows the cluster between comparisons, so that a view can refresh when someone changes an object live.
// One watch per LIST the latest comparison made (a kind in a namespace, or a cluster-scoped kind), started at
// that LIST's resourceVersion so nothing after it is missed. A change to an object the report shows, or to
// one carrying an app's tracking label (a new Extra), calls back with the environment's name; other churn in
// the same namespaces (leader-election ConfigMaps, unrelated apps) does not. The comparison that follows
// stores nothing (LISTs, dry-runs), so it causes no event of its own. Only kinds, namespaces and reasons are
// logged, never object contents.
import { hasReason, type ClusterErrorReason } from '../cluster/errors';
import { listKeyId, type ListedVersion } from '../cluster/liveSnapshot';
import type { WatchEvent, WatchHandle } from '../cluster/watch';
import type { AppDefinition, EnvironmentResult, KubeObject } from '../model';
import { sleep } from '../sleep';
import { ownerKeysOfApp, ownerKeysOfLive } from './ownership';
import { messageOf } from '../errors';

/** What to follow for one environment: its latest comparison's LISTs and what its report shows. */
export interface EnvironmentWatchTarget {
  environment: string;
  context: string;
  lists: ListedVersion[];
  /** Per list (listKeyId): names of the objects in the report, Missing and Extra ones included. */
  names: Map<string, Set<string>>;
  /** Tracking keys of the environment's apps (ownerKeysOfApp): a new object that carries one may be Extra. */
  ownerKeys: Set<string>;
}

/** The part of ClusterClient a watch needs. */
export interface WatchingClient {
  watch(apiVersion: string, kind: string, options: { namespace?: string; resourceVersion?: string; signal?: AbortSignal },
    onEvent: (event: WatchEvent) => void): Promise<WatchHandle>;
}

export interface LiveWatchOptions {
  /** The client of a kube context, asked again at every reconnect (the engine replaces clients after failures). */
  clientFor: (context: string) => WatchingClient;
  /** Called, not debounced, with the name of an environment whose live objects changed. */
  onChange: (environment: string) => void;
  /** Watches open at once (default 100); the lists beyond are seen by the next comparison only. */
  maxWatches?: number;
  /** Told how many lists go unwatched because of `maxWatches`, whenever that number changes. */
  onUnwatched?: (unwatched: number, limit: number) => void;
  /** Told whenever the set of an environment's lost watches changes: when one is lost, and when it is back. */
  onHealth?: (health: WatchHealth) => void;
  /**
   * The server refused the context's credentials (an expired or rotated token): read kubeconfig again, so the
   * next `clientFor` authenticates with what it says now.
   */
  forgetCredentials?: (context: string) => void;
  /** First reconnect delay after a failure (default 1 s), doubled per failure up to `maxBackoffMs` (30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  log?: (line: string) => void;
}

export const DEFAULT_MAX_WATCHES = 100;

/** How an environment's live watches are doing, for a view to show while changes may go unseen. */
export interface WatchHealth {
  environment: string;
  context: string;
  /** The lists whose watch lost its connection and is reconnecting (`ConfigMap in namespace shop`); empty once all are back. */
  lost: string[];
  /** Why the latest of them was lost (the error's message). */
  reason?: string;
}

/** The watch target of one compared environment. */
export function watchTargetOf(result: EnvironmentResult, apps: AppDefinition[], listed: ListedVersion[]): EnvironmentWatchTarget {
  const names = new Map<string, Set<string>>();
  for (const resource of result.apps.flatMap((app) => app.resources)) {
    const id = listKeyId(resource);
    names.set(id, (names.get(id) ?? new Set()).add(resource.name));
  }
  return { environment: result.name, context: result.context, lists: listed, names, ownerKeys: new Set(apps.flatMap(ownerKeysOfApp)) };
}

/** After a comparison of some apps only: their lists and names join the environment's others. */
export function mergeWatchTargets(previous: EnvironmentWatchTarget | undefined, next: EnvironmentWatchTarget): EnvironmentWatchTarget {
  if (!previous || previous.context !== next.context) return next;
  const lists = new Map([...previous.lists, ...next.lists].map((list) => [listKeyId(list), list]));
  const names = new Map(previous.names);
  for (const [id, fresh] of next.names) names.set(id, new Set([...(names.get(id) ?? []), ...fresh]));
  return { ...next, lists: [...lists.values()], names, ownerKeys: new Set([...previous.ownerKeys, ...next.ownerKeys]) };
}

/** One environment's interest in a watched list. */
interface Subscriber {
  environment: string;
  names: Set<string>;
  ownerKeys: Set<string>;
}

export class LiveWatch {
  private readonly watches = new Map<string, ListWatch>();
  /** Lists the server will not let us watch (Forbidden, kind not served): not retried, logged once. */
  private readonly refused = new Set<string>();
  /** Watches whose connection is lost, with why. */
  private readonly lostWatches = new Map<ListWatch, string>();
  private unwatched = 0;
  private disposed = false;

  constructor(private readonly options: LiveWatchOptions) {}

  /** Follows exactly these targets from now on: new lists start, dropped ones stop, running ones go on. */
  retarget(targets: EnvironmentWatchTarget[]): void {
    if (this.disposed) return;
    const wanted = new Map<string, { context: string; list: ListedVersion; subscribers: Subscriber[] }>();
    for (const target of targets) {
      for (const list of target.lists) {
        const id = `${target.context}\u0000${listKeyId(list)}`;
        const entry = wanted.get(id) ?? { context: target.context, list, subscribers: [] };
        entry.subscribers.push({ environment: target.environment, names: target.names.get(listKeyId(list)) ?? new Set(), ownerKeys: target.ownerKeys });
        wanted.set(id, entry);
      }
    }
    const ids = [...wanted.keys()].filter((id) => !this.refused.has(id));
    const limit = this.options.maxWatches ?? DEFAULT_MAX_WATCHES;
    const chosen = new Set(ids.slice(0, limit));
    if (ids.length - chosen.size !== this.unwatched) {
      this.unwatched = ids.length - chosen.size;
      if (this.unwatched) this.log(`watching ${chosen.size} of ${ids.length} lists (limit ${limit}): changes to the others show at the next refresh`);
      this.options.onUnwatched?.(this.unwatched, limit);
    }
    for (const [id, watch] of this.watches) {
      if (!chosen.has(id)) {
        watch.stop();
        this.watches.delete(id);
        this.restored(watch, false);
      }
    }
    for (const id of chosen) {
      const { context, list, subscribers } = wanted.get(id)!;
      const running = this.watches.get(id);
      if (running?.running) {
        running.subscribers = subscribers;
        continue;
      }
      const watch = new ListWatch(id, context, list, subscribers, this);
      this.watches.set(id, watch);
      void watch.run();
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const watch of this.watches.values()) watch.stop();
    this.watches.clear();
    this.lostWatches.clear();
  }

  /** For ListWatch: its connection failed and it is reconnecting. */
  lost(watch: ListWatch, reason: string): void {
    const previous = this.lostWatches.get(watch);
    this.lostWatches.set(watch, reason);
    // Said once per outage, and again only when the reason changes (the server is back, but refuses the token).
    if (previous === reason) return;
    this.log(`watch of ${watch.description} ${previous === undefined ? 'lost' : 'still lost'}: ${reason}; reconnecting`);
    this.reportHealth(watch, reason);
  }

  /** For ListWatch: connected again after being lost (or stopped while lost: then `connected` is false). */
  restored(watch: ListWatch, connected = true): void {
    if (!this.lostWatches.delete(watch)) return;
    if (connected) this.log(`watch of ${watch.description} reconnected`);
    this.reportHealth(watch, undefined);
  }

  private reportHealth(watch: ListWatch, reason: string | undefined): void {
    if (this.disposed) return;
    for (const environment of new Set(watch.subscribers.map((subscriber) => subscriber.environment))) {
      const lost = [...this.lostWatches.keys()].filter((other) => other.subscribers.some((subscriber) => subscriber.environment === environment));
      const health: WatchHealth = {
        environment, context: watch.context, lost: lost.map((other) => other.description),
        ...(lost.length ? { reason: reason ?? this.lostWatches.get(lost[lost.length - 1]!) } : {}),
      };
      try {
        this.options.onHealth?.(health);
      } catch (error) {
        this.log(`watch health handler failed for environment ${environment}: ${messageOf(error)}`);
      }
    }
  }

  forgetCredentials(context: string): void {
    this.options.forgetCredentials?.(context);
  }

  /** For ListWatch: tell the caller, never letting its exception into the stream's event handler. */
  changed(environment: string): void {
    try {
      this.options.onChange(environment);
    } catch (error) {
      this.log(`live change handler failed for environment ${environment}: ${messageOf(error)}`);
    }
  }

  refuse(id: string, reason: string): void {
    this.refused.add(id);
    this.log(`not watching: ${reason}`);
  }

  clientFor(context: string): WatchingClient {
    return this.options.clientFor(context);
  }

  backoff(failures: number): number {
    return Math.min((this.options.backoffMs ?? 1000) * 2 ** (failures - 1), this.options.maxBackoffMs ?? 30_000);
  }

  log(line: string): void {
    this.options.log?.(`live watch: ${line}`);
  }
}

/** Reasons that will not change by retrying: the user may not watch this list, or the server has no such kind. */
const REFUSALS: ClusterErrorReason[] = ['Forbidden', 'NoSuchKind', 'NotFound'];

/** One watched list: reconnects where it left off until stopped, or until its history is gone. */
class ListWatch {
  private readonly stopped = new AbortController();
  private handle: WatchHandle | undefined;
  private resourceVersion: string;
  running = true;
  /** What it watches, as messages say it: `ConfigMap in namespace shop (context dev)`. */
  readonly description: string;

  constructor(
    private readonly id: string,
    readonly context: string,
    private readonly list: ListedVersion,
    public subscribers: Subscriber[],
    private readonly owner: LiveWatch,
  ) {
    this.resourceVersion = list.resourceVersion;
    this.description = `${list.kind}${list.namespace ? ` in namespace ${list.namespace}` : ''} (context ${context})`;
  }

  async run(): Promise<void> {
    const { apiVersion, kind, namespace } = this.list;
    const what = this.description;
    let failures = 0;
    while (!this.stopped.signal.aborted) {
      try {
        const opened = Date.now();
        const handle = await this.owner.clientFor(this.context).watch(apiVersion, kind,
          { ...(namespace ? { namespace } : {}), resourceVersion: this.resourceVersion, signal: this.stopped.signal }, (event) => this.received(event));
        this.handle = handle;
        if (this.stopped.signal.aborted) handle.stop();
        else this.owner.restored(this);
        await handle.done;
        // The server ends watches after a while: resume at once, unless it keeps ending them right away.
        failures = Date.now() - opened > this.owner.backoff(failures + 1) ? 0 : failures + 1;
      } catch (error) {
        if (this.stopped.signal.aborted) break;
        if (hasReason(error, ...REFUSALS)) {
          this.running = false;
          this.owner.restored(this, false);
          this.owner.refuse(this.id, messageOf(error));
          return;
        }
        if ((error as { status?: number }).status === 410) {
          // The server no longer has the history from our resourceVersion: changes may have been missed. The
          // refresh this asks for LISTs again, and re-targeting starts a new watch from that LIST.
          this.running = false;
          this.owner.restored(this, false);
          this.owner.log(`${what}: resourceVersion expired; a refresh will list it again`);
          for (const subscriber of this.subscribers) this.owner.changed(subscriber.environment);
          return;
        }
        // A token that expired or was replaced: the next attempt reads kubeconfig again (the user or a
        // credential plugin may have written a new one there).
        if (hasReason(error, 'Unauthorized')) this.owner.forgetCredentials(this.context);
        failures += 1;
        this.owner.lost(this, messageOf(error));
      }
      if (failures) await sleep(this.owner.backoff(failures), this.stopped.signal);
    }
  }

  stop(): void {
    this.running = false;
    this.stopped.abort();
    this.handle?.stop();
  }

  private received(event: WatchEvent): void {
    if (this.stopped.signal.aborted) return;
    const version = event.object?.metadata?.resourceVersion;
    if (typeof version === 'string' && version) this.resourceVersion = version;
    if (event.type === 'BOOKMARK') return;
    for (const subscriber of this.subscribers) {
      if (concerns(subscriber, event.object)) this.owner.changed(subscriber.environment);
    }
  }
}

/** Whether a live object is one the environment's report shows, or one of its apps might own. */
function concerns(subscriber: Subscriber, object: KubeObject): boolean {
  return subscriber.names.has(object.metadata.name) || ownerKeysOfLive(object).some((key) => subscriber.ownerKeys.has(key));
}
