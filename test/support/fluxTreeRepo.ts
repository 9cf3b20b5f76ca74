// A three-level Flux tree (infra -> redis -> redis-tuning, each level a Kustomization in the folder of the level
// above, each with a ConfigMap) in a temp repo, and its objects put live as kustomize-controller applies them:
// server-side, as its field manager, with its labels, and each Kustomization's inventory in its status
// (applyAppsAsFlux: the Flux Operator's labels, field manager and inventory for a ResourceSet's app).
import { stringify } from 'yaml';
import type { ClusterClient } from '../../src/core/cluster/client';
import { discoverRepo } from '../../src/core/discovery/discoverRepo';
import {
  FLUX_KUSTOMIZE_NAME_LABEL, FLUX_KUSTOMIZE_NAMESPACE_LABEL, FLUX_RESOURCESET_NAME_LABEL, FLUX_RESOURCESET_NAMESPACE_LABEL,
  type ControllerRef, type KubeObject,
} from '../../src/core/model';
import { renderApps } from '../../src/core/render/renderApps';
import { writeRepo } from './gitopsExamples';

const KUSTOMIZATION = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' };
const AS_FLUX = { fieldManager: 'kustomize-controller', force: true, dryRun: false };

function kustomization(name: string, folder: string, namespace: string): KubeObject {
  return {
    ...KUSTOMIZATION, metadata: { name, namespace },
    spec: { interval: '10m', prune: true, path: folder, targetNamespace: namespace, sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } },
  };
}

const configMap = (name: string, data: Record<string, string>) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

/** The repo, environment `dev` bound to `context`; every object lives in `namespace`. */
export function writeFluxTreeRepo(namespace: string, context: string): Promise<string> {
  return writeRepo({
    '.driftline.yaml': stringify({ environments: [{ name: 'dev', context }] }),
    'clusters/dev/infra.yaml': stringify(kustomization('infra', './infra', namespace)),
    'infra/kustomization.yaml': 'resources: [redis.yaml, settings.yaml]\n',
    'infra/redis.yaml': stringify(kustomization('redis', './infra/redis', namespace)),
    'infra/settings.yaml': configMap('infra-settings', { region: 'eu' }),
    // A kustomization.yaml of its own: without one, Flux's generated kustomization would take tuning/ in too.
    'infra/redis/kustomization.yaml': 'resources: [redis-tuning.yaml, redis-conf.yaml]\n',
    'infra/redis/redis-tuning.yaml': stringify(kustomization('redis-tuning', './infra/redis/tuning', namespace)),
    'infra/redis/redis-conf.yaml': configMap('redis-conf', { maxmemory: '1gb' }),
    'infra/redis/tuning/tuning.yaml': configMap('redis-tuning', { hz: '10' }),
  });
}

/** Puts the tree live as the Flux controllers would have (the Flux Kustomization CRD must be installed). */
export async function applyFluxTreeAsFlux(root: string, namespace: string, client: ClusterClient): Promise<void> {
  // The cluster root's part: it applied infra, labelled as its own.
  await client.serverSideApply(withFluxLabels(kustomization('infra', './infra', namespace), 'flux-system', 'flux-system'), AS_FLUX);
  await applyAppsAsFlux(root, 'dev', client);
}

/**
 * Puts every app of `environment` live as its controller applies it: kustomize-controller for a Kustomization's,
 * the Flux Operator for a ResourceSet's (each with its labels and field manager), then the controller's inventory.
 */
export async function applyAppsAsFlux(root: string, environment: string, client: ClusterClient): Promise<void> {
  const model = await discoverRepo(root);
  const apps = model.environments.find((candidate) => candidate.name === environment)?.apps ?? [];
  const renders = await renderApps(apps);
  for (const rendered of renders) {
    if (rendered.error) throw new Error(`${rendered.app.name}: ${rendered.error}`);
    const owner = rendered.app.controller!;
    const asOwner = owner.kind === 'ResourceSet' ? { ...AS_FLUX, fieldManager: 'flux-operator' } : AS_FLUX;
    for (const { object } of rendered.objects) await client.serverSideApply(withOwnerLabels(object, owner), asOwner);
  }
  // Once every controller object is live (a parent applies its children's).
  for (const rendered of renders) {
    const owner = rendered.app.controller!;
    const entries = rendered.objects.map(({ object }) => ({ id: inventoryId(object), v: object.apiVersion.split('/').pop() }));
    await client.mergePatch({ apiVersion: owner.apiVersion, kind: owner.kind, namespace: owner.namespace, name: owner.name }, { status: { inventory: { entries } } }, { subresource: 'status' });
  }
}

/** The labels `owner`'s controller puts on what it applies. */
export function withOwnerLabels(object: KubeObject, owner: ControllerRef): KubeObject {
  if (owner.kind !== 'ResourceSet') return withFluxLabels(object, owner.name, owner.namespace);
  const labels = { ...object.metadata.labels, [FLUX_RESOURCESET_NAME_LABEL]: owner.name, [FLUX_RESOURCESET_NAMESPACE_LABEL]: owner.namespace };
  return { ...object, metadata: { ...object.metadata, labels } };
}

/** `<namespace>_<name>_<group>_<kind>`, as kustomize-controller writes inventory ids. */
function inventoryId(object: KubeObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return `${object.metadata.namespace ?? ''}_${object.metadata.name}_${group}_${object.kind}`;
}

export function withFluxLabels(object: KubeObject, name: string, namespace: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, [FLUX_KUSTOMIZE_NAME_LABEL]: name, [FLUX_KUSTOMIZE_NAMESPACE_LABEL]: namespace } } };
}
