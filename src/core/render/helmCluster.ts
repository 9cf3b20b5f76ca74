// What helm-controller knows of the cluster when it renders a HelmRelease, and a render here may ask for: the
// ConfigMaps/Secrets of valuesFrom that no build emits (read live), and the server's version and API versions
// (helm's .Capabilities, `--kube-version` / `--api-versions`). The drift engine gives one per environment and
// refresh; without one (driftline build, no cluster) live sources make the app Unknown and helm uses its defaults.
import { createHash } from 'node:crypto';
import type { AppDefinition, RenderedApp } from '../model';
import type { ReadLiveSource } from './postBuild';

export interface HelmCapabilities {
  /** `v1.29.3`: the server's gitVersion. */
  kubeVersion: string;
  /** `apps/v1`, `apps/v1/Deployment`, ...: every group/version the server serves, and each kind in it, as helm lists them. */
  apiVersions: string[];
}

export interface HelmCluster {
  /**
   * Reads one valuesFrom source (each object once per refresh, cancelled with it): undefined when it does not exist.
   * In the cluster of `sourcesEnvironment` when given (a HelmRelease installing into another cluster through
   * spec.kubeConfig: helm-controller reads its values where the HelmRelease is), else the environment's.
   */
  readLive(source: Parameters<ReadLiveSource>[0], sourcesEnvironment?: string): ReturnType<ReadLiveSource>;
  /** The server's capabilities; undefined when it cannot be asked (then helm's defaults, and the row says so). */
  capabilities(): Promise<HelmCapabilities | undefined>;
}

/** Whether the app's render reads the cluster (a valuesFrom source not in the build output): never reused from the render cache. */
export function readsLiveValues(app: AppDefinition): boolean {
  return !!app.helm?.release?.valuesFrom.some((reference) => !reference.built);
}

/** `inputHash` with what of the cluster a HelmRelease's or an Argo CD Helm source's render depends on beside its files (its versions); other apps' as it is. */
export async function withClusterInputs(inputHash: string, app: AppDefinition, cluster: HelmCluster | undefined): Promise<string> {
  if (!(app.helm?.release || app.helm?.argo) || app.unknownReason) return inputHash;
  const capabilities = await cluster?.capabilities();
  const key = capabilities ? `${capabilities.kubeVersion}\n${capabilities.apiVersions.join(',')}` : 'no cluster';
  return createHash('sha256').update(`${inputHash}\n${key}`).digest('hex');
}

/**
 * A render that read values live: equal inputs render equal objects only with equal values, and comparisons are
 * cached by input hash, so the hash takes the objects too (as liveSubstitution.ts does for postBuild).
 */
export function withObjectsFingerprint(rendered: RenderedApp): RenderedApp {
  const hash = createHash('sha256').update(rendered.inputHash);
  for (const { object } of rendered.objects) hash.update(JSON.stringify(object));
  return { ...rendered, inputHash: hash.digest('hex') };
}
