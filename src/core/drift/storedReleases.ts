// A Flux HelmRelease whose chart cannot be fetched (its repository unreachable or refusing, no copy cached) is
// compared against what helm-controller last deployed: the manifest of the latest deployed release stored in
// the cluster (the view helm-controller's own drift detection has). The row says so. Argo CD stores no Helm
// release, so its apps stay Unknown. Without a stored release the app is Unknown naming both the chart's error
// and the release that was looked for.
import { createHash } from 'node:crypto';
import type { ClusterClient } from '../cluster/client';
import { readDeployedRelease, type StoredRelease } from '../cluster/helmReleaseStorage';
import { Slots } from '../concurrency';
import { messageOf } from '../errors';
import type { DesiredObject, RenderedApp } from '../model';
import { applyNamespace } from '../render/applyNamespace';
import { isKubeObject, parseYamlDocuments } from '../render/parseManifests';

export interface StoredReleaseOptions {
  client: ClusterClient;
  concurrency: number;
  signal?: AbortSignal;
}

/** `rendered` with each HelmRelease whose chart was not fetched compared against its stored release, when there is one. */
export async function compareWithStoredReleases(rendered: RenderedApp[], options: StoredReleaseOptions): Promise<RenderedApp[]> {
  const slots = new Slots(options.concurrency);
  return Promise.all(rendered.map(async (app) => {
    if (!app.chartNotFetched || app.app.origin !== 'flux-helmrelease' || !app.app.helm) return app;
    return slots.run(() => fromStoredRelease(app, app.chartNotFetched!, options), options.signal);
  }));
}

async function fromStoredRelease(app: RenderedApp, whyNotFetched: string, options: StoredReleaseOptions): Promise<RenderedApp> {
  const helm = app.app.helm!;
  const namespace = helm.storageNamespace ?? app.app.controller?.namespace ?? app.app.namespace ?? 'default';
  const looked = `Helm release ${helm.releaseName} in namespace ${namespace}`;
  let release: StoredRelease | undefined;
  try {
    release = await readDeployedRelease(options.client, namespace, helm.releaseName);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { ...app, error: `${app.error}; reading the ${looked} failed: ${messageOf(error)}` };
  }
  if (!release) return { ...app, error: `${app.error}; no deployed ${looked} is stored in the cluster to compare with` };
  let objects: DesiredObject[];
  try {
    objects = releaseObjects(release, app);
  } catch (error) {
    return { ...app, error: `${app.error}; the ${looked} v${release.version} cannot be read: ${messageOf(error)}` };
  }
  const sourceNote = `compared with Helm release v${release.version} in the cluster; chart not fetched: ${whyNotFetched}`;
  const { error: _error, chartNotFetched: _chart, ...rest } = app;
  // A chart source missing from the repository made the app Unknown at discovery: the release answers that.
  const { unknownReason: _unknown, chartSourceMissing: _missing, ...definition } = app.app;
  // Equal inputs compare equal only against the same release: the comparison cache keys on inputHash.
  const inputHash = createHash('sha256').update(`${app.inputHash}\n${release.secret}\n${release.manifest}\n${release.hooks.join('\n')}`).digest('hex');
  return { ...rest, app: definition, objects, sourceNote, inputHash };
}

/** The release's objects (hooks too: they carry helm.sh/hook and are kept apart like rendered hooks), in the release's namespace. */
function releaseObjects(release: StoredRelease, app: RenderedApp): DesiredObject[] {
  const label = `Helm release ${release.name} v${release.version} (Secret ${release.secret})`;
  const objects = [release.manifest, ...release.hooks].flatMap((manifest) => parseYamlDocuments(manifest, label))
    .filter((document) => isKubeObject(document.value))
    .map((document): DesiredObject => ({ object: document.value as DesiredObject['object'], source: app.app.declaredAt }));
  return applyNamespace(objects, release.namespace || app.app.namespace, false);
}
