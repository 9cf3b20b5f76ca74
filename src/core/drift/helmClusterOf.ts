// The environment's cluster as Flux HelmReleases' renders ask it (render/helmCluster.ts), for one refresh: each
// valuesFrom ConfigMap/Secret read once however many releases name it, at most `concurrency` reads at a time;
// the server's version and API versions asked once. Everything stops with the refresh's signal. The client is
// made only when a render asks, so an environment without HelmReleases never opens a connection for them.
import type { ClusterClient } from '../cluster/client';
import { isAbortError } from '../abort';
import { Slots } from '../concurrency';
import type { KubeObject } from '../model';
import type { HelmCapabilities, HelmCluster } from '../render/helmCluster';

/** `client(sourcesEnvironment)`: the environment's cluster without one, else that of the environment holding the HelmRelease. */
export function helmClusterOf(client: (sourcesEnvironment?: string) => ClusterClient, concurrency: number, signal?: AbortSignal): HelmCluster {
  const slots = new Slots(concurrency);
  const reads = new Map<string, Promise<KubeObject | undefined>>();
  let capabilities: Promise<HelmCapabilities | undefined> | undefined;
  return {
    readLive: (source, sourcesEnvironment) => {
      const key = [sourcesEnvironment ?? '', source.kind, source.namespace, source.name].join('\u0000');
      let read = reads.get(key);
      if (!read) {
        read = slots.run(() => client(sourcesEnvironment).get({ apiVersion: 'v1', kind: source.kind, namespace: source.namespace, name: source.name }), signal);
        reads.set(key, read);
      }
      return read;
    },
    capabilities: () => {
      capabilities ??= askCapabilities(client);
      return capabilities;
    },
  };
}

/** helm's view of the server: its gitVersion, and each served group/version with `<group/version>/<Kind>` beside it. */
async function askCapabilities(client: () => ClusterClient): Promise<HelmCapabilities | undefined> {
  try {
    const cluster = client();
    const [version, served] = await Promise.all([cluster.serverVersion(), cluster.servedVersions()]);
    const apiVersions = served.flatMap(({ groupVersion, kinds }) => [groupVersion, ...kinds.map((kind) => `${groupVersion}/${kind}`)]);
    return { kubeVersion: version.gitVersion, apiVersions: [...new Set(apiVersions)].sort() };
  } catch (error) {
    if (isAbortError(error)) throw error;
    // No cluster to ask (none configured, unreachable): helm's defaults, and the row says so; the comparison reports the cluster's error.
    return undefined;
  }
}
