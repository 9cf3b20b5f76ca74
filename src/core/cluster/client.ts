// The cluster access layer every other part uses (drift engine, sync, VS Code views, CLI, bench): one client
// per kube context, speaking the Kubernetes REST API with plain JSON objects. Every failure is a ClusterError
// naming the object, the context and the user.
import { untilAborted } from '../abort';
import { refOf, type KubeObject, type ObjectRef } from '../model';
import { Discovery, groupVersionPath, type ApiResource } from './discovery';
import { ClusterError, isNotFound, malformedAnswerError, noSuchKindError, type CallerIdentity, type FailedCall } from './errors';
import type { LoadedKubeConfig } from './kubeconfig';
import { Transport, type RequestSpec, type TransportOptions } from './transport';
import { openWatch, type WatchEvent, type WatchHandle } from './watch';

export interface ServerSideApplyOptions {
  /** Ask the server what it would store, without storing it (`dryRun=All`). */
  dryRun: boolean;
  /** The field manager that will own the applied fields. */
  fieldManager: string;
  /** Take over fields other managers own instead of failing with a Conflict. */
  force: boolean;
}

export interface ListOptions {
  /** Namespace to list in; absent lists a namespaced kind across all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ListResult {
  /** Items with apiVersion and kind filled in (the server leaves them out of list items). */
  items: KubeObject[];
  /** The list's resourceVersion: start a watch from here to see every later change. */
  resourceVersion: string;
}

export interface ServerVersion {
  /** e.g. `v1.20.2` */
  gitVersion: string;
  major: string;
  minor: string;
}

export type { ApiResource } from './discovery';
export type { WatchEvent, WatchHandle } from './watch';

const LIST_PAGE_SIZE = 500;

export class ClusterClient {
  private readonly discovery: Discovery;

  private constructor(
    private readonly transport: Transport,
    /** Namespace for namespaced objects that name none: the context's namespace, else `default`. */
    readonly defaultNamespace: string,
    discovery?: Discovery,
    /** Every request of this client aborts when it aborts (see withSignal). */
    private readonly signal?: AbortSignal,
  ) {
    this.discovery = discovery ?? new Discovery(transport);
  }

  /**
   * This client, with every request it sends tied to `signal`: when it aborts, requests in flight are aborted
   * (their connections closed) and reject with its reason, so Stop and Ctrl-C end a command at once even on a
   * server that does not answer. Connections, credentials and discovery are shared with this client.
   */
  withSignal(signal: AbortSignal | undefined): ClusterClient {
    if (!signal || signal === this.signal) return this;
    return new ClusterClient(this.transport, this.defaultNamespace, this.discovery, signal);
  }

  /** A client for `contextName` of an already loaded kubeconfig (throws KubeconfigError if it is incomplete). */
  static forContext(loaded: LoadedKubeConfig, contextName: string, options: TransportOptions = {}): ClusterClient {
    const { context, cluster, user } = loaded.resolve(contextName);
    const identity: CallerIdentity = { context: context.name, user: user.name, server: cluster.server };
    return new ClusterClient(new Transport(loaded.kubeConfigFor(contextName), identity, options), context.namespace || 'default');
  }

  get context(): string {
    return this.transport.identity.context;
  }

  get user(): string {
    return this.transport.identity.user;
  }

  get server(): string {
    return this.transport.identity.server;
  }

  /** Server-side apply (`PATCH application/apply-patch+yaml`): returns the object as the server stores it. */
  async serverSideApply(object: KubeObject, options: ServerSideApplyOptions): Promise<KubeObject> {
    const target = await this.locate(refOf(object), 'patch');
    return this.send<KubeObject>({
      method: 'PATCH',
      path: target.objectPath,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: options.fieldManager, force: String(options.force), dryRun: options.dryRun ? 'All' : undefined },
      body: object,
      call: target.call,
    });
  }

  /** Creates an object (fails with Conflict when it exists). */
  async create(object: KubeObject, options: { dryRun?: boolean; fieldManager?: string } = {}): Promise<KubeObject> {
    const target = await this.locate(refOf(object), 'create');
    return this.send<KubeObject>({
      method: 'POST',
      path: target.collectionPath,
      query: { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined },
      body: object,
      call: target.call,
    });
  }

  /** The live object, or undefined when it does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const target = await this.locate(ref, 'get');
    try {
      return await this.send<KubeObject>({ method: 'GET', path: target.objectPath, call: target.call });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** One LIST (paged through by the server's continue tokens, so big collections stay one consistent list). */
  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<ListResult> {
    const call: FailedCall = { verb: 'list', collection: { apiVersion, kind, namespace: options.namespace } };
    const resource = await this.requireResource(apiVersion, kind, call);
    const path = collectionPath(apiVersion, resource, resource.namespaced ? options.namespace : undefined);
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    const tokens = new Set<string>();
    do {
      const page = await this.send<{ items: KubeObject[]; metadata: { continue?: string; resourceVersion?: string } }>({
        method: 'GET', path, call,
        query: {
          labelSelector: options.labelSelector, fieldSelector: options.fieldSelector,
          limit: String(LIST_PAGE_SIZE), continue: continueToken,
        },
      });
      const read = readListPage(page, tokens, this.transport.identity, call);
      items.push(...read.items.map((item) => ({ ...item, apiVersion, kind })));
      resourceVersion = read.resourceVersion ?? resourceVersion;
      continueToken = read.continueToken;
    } while (continueToken);
    return { items, resourceVersion };
  }

  /** Deletes an object; resolves false when it was already gone. */
  /** Deletes the object; with `uid`, only that very object (the server refuses when it was re-created since). */
  async delete(ref: ObjectRef, options: { dryRun?: boolean; propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; uid?: string } = {}): Promise<boolean> {
    const target = await this.locate(ref, 'delete');
    try {
      await this.send({
        method: 'DELETE',
        path: target.objectPath,
        body: {
          kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: options.propagationPolicy ?? 'Background',
          ...(options.dryRun ? { dryRun: ['All'] } : {}), ...(options.uid ? { preconditions: { uid: options.uid } } : {}),
        },
        call: target.call,
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** JSON merge patch (RFC 7386) of an object or of its status subresource. */
  async mergePatch(ref: ObjectRef, patch: unknown, options: { subresource?: 'status'; fieldManager?: string; dryRun?: boolean } = {}): Promise<KubeObject> {
    const target = await this.locate(ref, options.subresource ? `patch ${options.subresource} of` : 'patch');
    return this.send<KubeObject>({
      method: 'PATCH',
      path: options.subresource ? `${target.objectPath}/${options.subresource}` : target.objectPath,
      contentType: 'application/merge-patch+json',
      query: { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined },
      body: patch,
      call: target.call,
    });
  }

  /** How the server serves `kind` in `apiVersion`; undefined when it has no such kind. Cached per client. */
  resourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    // Discovery answers are shared by every caller: one that aborts stops waiting, the request goes on for the others.
    return untilAborted(this.discovery.resourceFor(apiVersion, kind), this.signal);
  }

  /** Served group/versions and their kinds (discovery, cached per client like every discovery answer). */
  servedVersions(): Promise<{ groupVersion: string; kinds: string[] }[]> {
    return untilAborted(this.discovery.servedVersions(), this.signal);
  }

  async serverVersion(): Promise<ServerVersion> {
    const version = await this.send<ServerVersion>({ method: 'GET', path: '/version', call: { verb: 'get version of' } });
    return { gitVersion: version.gitVersion, major: version.major, minor: version.minor };
  }

  /**
   * Watches a kind from `resourceVersion` (usually a list's); resolves once the server accepted the watch,
   * so a Forbidden or NoSuchKind rejects here rather than later. `signal` (else this client's) stops it, also
   * while it is being opened.
   */
  async watch(apiVersion: string, kind: string, options: ListOptions & { resourceVersion?: string; signal?: AbortSignal },
    onEvent: (event: WatchEvent) => void): Promise<WatchHandle> {
    const call: FailedCall = { verb: 'watch', collection: { apiVersion, kind, namespace: options.namespace } };
    const resource = await this.requireResource(apiVersion, kind, call);
    const path = collectionPath(apiVersion, resource, resource.namespaced ? options.namespace : undefined);
    return openWatch(this.transport, path, {
      labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, resourceVersion: options.resourceVersion,
    }, call, onEvent, options.signal ?? this.signal);
  }

  private send<T>(spec: RequestSpec): Promise<T> {
    return this.transport.json<T>(this.signal ? { ...spec, signal: this.signal } : spec);
  }

  /** Drops idle connections so a short-lived process (the CLI, a test) can exit at once. */
  close(): void {
    this.transport.close();
  }

  private async requireResource(apiVersion: string, kind: string, call: FailedCall): Promise<ApiResource> {
    const resource = await untilAborted(this.discovery.resourceFor(apiVersion, kind, call), this.signal);
    if (!resource) throw noSuchKindError(apiVersion, kind, this.transport.identity, call);
    return resource;
  }

  /** Resolves a ref against discovery: its URLs, and the ref as the server sees it (namespace defaulted). */
  private async locate(ref: ObjectRef, verb: string): Promise<{ call: FailedCall; collectionPath: string; objectPath: string }> {
    const resource = await this.requireResource(ref.apiVersion, ref.kind, { verb, ref });
    const { namespace: _given, ...clusterScoped } = ref;
    const resolved: ObjectRef = resource.namespaced ? { ...ref, namespace: ref.namespace || this.defaultNamespace } : clusterScoped;
    const call: FailedCall = { verb, ref: resolved };
    if (!ref.name) {
      throw new ClusterError(`Invalid: a ${ref.kind} without metadata.name (context "${this.context}")`, 'Invalid', this.transport.identity, call);
    }
    const collection = collectionPath(ref.apiVersion, resource, resolved.namespace);
    return { call, collectionPath: collection, objectPath: `${collection}/${encodeURIComponent(ref.name)}` };
  }
}

function collectionPath(apiVersion: string, resource: ApiResource, namespace: string | undefined): string {
  const scope = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupVersionPath(apiVersion)}${scope}/${resource.plural}`;
}

/**
 * One LIST page as the API returns it: items that are objects with a name, a continue token never given twice
 * (a server or proxy repeating one would keep the list going forever). Anything else is a ClusterError naming
 * the collection, never a TypeError out of a caller.
 */
function readListPage(page: unknown, tokens: Set<string>, identity: CallerIdentity, call: FailedCall): { items: KubeObject[]; resourceVersion?: string; continueToken?: string } {
  const answer = page as { items?: unknown; metadata?: { continue?: unknown; resourceVersion?: unknown } } | null | undefined;
  if (!answer || typeof answer !== 'object' || !Array.isArray(answer.items)) throw malformedAnswerError('is not a list (no items)', identity, call);
  for (const item of answer.items as unknown[]) {
    const metadata = (item as { metadata?: { name?: unknown } } | null)?.metadata;
    if (!item || typeof item !== 'object' || Array.isArray(item) || !metadata || typeof metadata !== 'object' || typeof metadata.name !== 'string') {
      throw malformedAnswerError(`lists an item without metadata.name: ${JSON.stringify(item)?.slice(0, 100)}`, identity, call);
    }
  }
  const metadata = answer.metadata && typeof answer.metadata === 'object' ? answer.metadata : {};
  const continueToken = typeof metadata.continue === 'string' && metadata.continue ? metadata.continue : undefined;
  if (continueToken !== undefined) {
    if (tokens.has(continueToken)) throw malformedAnswerError('gives the same continue token again: the list would never end', identity, call);
    tokens.add(continueToken);
  }
  return {
    items: answer.items as KubeObject[],
    resourceVersion: typeof metadata.resourceVersion === 'string' ? metadata.resourceVersion : undefined,
    continueToken,
  };
}
