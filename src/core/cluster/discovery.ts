// Which kinds a server serves, and how: one discovery request per API group/version, cached per client.
// A kind missing from a cached answer triggers one fresh request, because a CRD may have been installed since.
import { groupOf } from '../identity';
import { isNotFound, malformedAnswerError, type FailedCall } from './errors';
import type { Transport } from './transport';

export interface ApiResource {
  /** Resource name in URLs, e.g. `deployments`. */
  plural: string;
  namespaced: boolean;
  kind: string;
  /** Verbs the server allows on it (get, list, watch, patch, ...). */
  verbs: string[];
}

interface ApiResourceList {
  resources: Array<{ name: string; namespaced: boolean; kind: string; verbs?: string[] }>;
}

export class Discovery {
  private readonly byGroupVersion = new Map<string, Promise<ApiResource[] | undefined>>();

  constructor(private readonly transport: Transport) {}

  /**
   * The resource serving `kind` in `apiVersion`, or undefined when the server has no such kind. A failure
   * (Forbidden, Unreachable) is reported as a failure of `call`, the call that needed to know.
   */
  async resourceFor(apiVersion: string, kind: string, call?: FailedCall): Promise<ApiResource | undefined> {
    const failedCall = call ?? { verb: 'discover', collection: { apiVersion, kind } };
    const cached = await this.resources(apiVersion, false, failedCall);
    const found = cached?.find((resource) => resource.kind === kind);
    if (found) return found;
    return (await this.resources(apiVersion, true, failedCall))?.find((resource) => resource.kind === kind);
  }

  /**
   * Every group/version the server serves (`v1`, `apps/v1`, ...), each with its kinds: what helm lists as the
   * cluster's API versions (.Capabilities.APIVersions). One request for the groups, then one per group/version.
   */
  async servedVersions(): Promise<{ groupVersion: string; kinds: string[] }[]> {
    const call: FailedCall = { verb: 'discover API versions of' };
    const core = await this.transport.json<{ versions?: unknown }>({ method: 'GET', path: '/api', call });
    const groups = await this.transport.json<{ groups?: { versions?: { groupVersion?: unknown }[] }[] }>({ method: 'GET', path: '/apis', call });
    const groupVersions = [
      ...(Array.isArray(core?.versions) ? core.versions.filter((version): version is string => typeof version === 'string') : []),
      ...(Array.isArray(groups?.groups) ? groups.groups.flatMap((group) => (Array.isArray(group?.versions) ? group.versions : [])
        .map((version) => version?.groupVersion).filter((version): version is string => typeof version === 'string')) : []),
    ];
    return Promise.all(groupVersions.map(async (groupVersion) => ({
      groupVersion, kinds: ((await this.resources(groupVersion, false, call)) ?? []).map((resource) => resource.kind),
    })));
  }

  private resources(apiVersion: string, refresh: boolean, call: FailedCall): Promise<ApiResource[] | undefined> {
    let pending = this.byGroupVersion.get(apiVersion);
    if (!pending || refresh) {
      pending = this.fetch(apiVersion, call);
      this.byGroupVersion.set(apiVersion, pending);
      pending.catch(() => this.byGroupVersion.delete(apiVersion));
    }
    return pending;
  }

  private async fetch(apiVersion: string, call: FailedCall): Promise<ApiResource[] | undefined> {
    let list: ApiResourceList;
    try {
      list = await this.transport.json<ApiResourceList>({ method: 'GET', path: groupVersionPath(apiVersion), call });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    if (!list || typeof list !== 'object' || !Array.isArray(list.resources)) {
      throw malformedAnswerError(`for ${apiVersion} is not an APIResourceList`, this.transport.identity, call);
    }
    // Entries a server could not have meant are skipped: kinds are looked up by name, and a URL is built of plural.
    return list.resources
      .filter((resource) => resource && typeof resource === 'object' && typeof resource.name === 'string' && resource.name !== '' &&
        typeof resource.kind === 'string' && typeof resource.namespaced === 'boolean')
      .filter((resource) => !resource.name.includes('/')) // subresources such as deployments/status
      .map((resource) => ({
        plural: resource.name, namespaced: resource.namespaced, kind: resource.kind,
        verbs: Array.isArray(resource.verbs) ? resource.verbs.filter((verb): verb is string => typeof verb === 'string') : [],
      }));
  }
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(apiVersion: string): string {
  return groupOf(apiVersion) ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}
