// Fidelity of a three-level Flux tree against the real API server: each level's build applied as
// kustomize-controller applies it (server-side, its field manager, its labels, the Kustomization's inventory),
// so everything compares Synced; drift caused in the grandchild shows there only, and rolls up in the tree.
import * as assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { buildAppTree, rolledUpCounts } from '../../../src/core/appTree';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { FLUX_KUSTOMIZE_NAME_LABEL, FLUX_KUSTOMIZE_NAMESPACE_LABEL, type KubeObject } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';
import { testClient, testCluster } from '../../support/cluster';
import { FLUX_CRD_FILES, installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { makeFluxRepo, type FluxRepo } from '../sync/fluxRepo';
import { appOf, flagged, statusOnce } from './driftFixture';

const KUSTOMIZATION = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' };
const asFlux = { fieldManager: 'kustomize-controller', force: true, dryRun: false };

describe('DriftEngine: a three-level Flux tree applied as Flux applies it', function () {
  this.timeout(120_000);
  const info = testCluster();
  let repo: FluxRepo;
  let namespace: string;

  const kustomization = (name: string, folder: string) => ({
    ...KUSTOMIZATION, metadata: { name, namespace },
    spec: { interval: '10m', prune: true, path: folder, targetNamespace: namespace, sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } },
  });
  const configMap = (name: string, data: Record<string, string>) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

  before(async () => {
    await installGitOpsCrds(info, FLUX_CRD_FILES);
    namespace = await freshNamespace('flux-tree');
    // infra -> redis -> redis-tuning, each level a Kustomization in the level above's folder, and a ConfigMap.
    repo = makeFluxRepo({
      'clusters/dev/infra.yaml': stringify(kustomization('infra', './infra')),
      'infra/kustomization.yaml': 'resources: [redis.yaml, settings.yaml]\n',
      'infra/redis.yaml': stringify(kustomization('redis', './infra/redis')),
      'infra/settings.yaml': configMap('infra-settings', { region: 'eu' }),
      // A kustomization.yaml of its own: without one, Flux's generated kustomization would take tuning/ in too.
      'infra/redis/kustomization.yaml': 'resources: [redis-tuning.yaml, redis-conf.yaml]\n',
      'infra/redis/redis-tuning.yaml': stringify(kustomization('redis-tuning', './infra/redis/tuning')),
      'infra/redis/redis-conf.yaml': configMap('redis-conf', { maxmemory: '1gb' }),
      'infra/redis/tuning/tuning.yaml': configMap('redis-tuning', { hz: '10' }),
    });
    const admin = testClient();
    // The cluster root's part: it applied infra (labelled as the root's own).
    await admin.serverSideApply(withFluxLabels(kustomization('infra', './infra'), 'flux-system', 'flux-system'), asFlux);
    // Each Kustomization's build applied by kustomize-controller, with its labels, then its inventory.
    const model = await discoverRepo(repo.root);
    const apps = model.environments.find((environment) => environment.name === 'dev')!.apps;
    for (const rendered of await renderApps(apps)) {
      assert.equal(rendered.error, undefined, rendered.error);
      const owner = rendered.app.controller!;
      for (const { object } of rendered.objects) await admin.serverSideApply(withFluxLabels(object, owner.name, owner.namespace), asFlux);
      await admin.mergePatch({ ...KUSTOMIZATION, namespace, name: owner.name }, { status: { inventory: { entries: rendered.objects.map(({ object }) => ({
        id: `${object.metadata.namespace ?? ''}_${object.metadata.name}_${object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : ''}_${object.kind}`,
        v: object.apiVersion.split('/').pop(),
      })) } } }, { subresource: 'status' });
    }
  });

  after(() => repo?.cleanup());

  it('discovers the three levels, each under the Kustomization whose build applies it', async () => {
    const model = await discoverRepo(repo.root);
    const tree = buildAppTree(model.environments.find((environment) => environment.name === 'dev')!.apps);
    const shape = (nodes: typeof tree): unknown => nodes.map((node) => [node.app.name, shape(node.children)]);
    assert.deepEqual(shape(tree), [['infra', [['redis', [['redis-tuning', []]]]]]]);
  });

  it('compares every level Synced, then shows drift in the grandchild only, rolled up to the levels above', async () => {
    assert.deepEqual(flagged(await statusOnce(repo.root, info.kubeconfig)), []);

    // Someone edits the grandchild's ConfigMap with kubectl.
    await testClient().mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'redis-tuning' }, { data: { hz: '100' } }, { fieldManager: 'kubectl-edit' });
    const report = await statusOnce(repo.root, info.kubeconfig);
    assert.deepEqual(flagged(report), ['dev/redis-tuning: OutOfSync ConfigMap/redis-tuning']);
    assert.equal(appOf(report, 'dev', 'infra').status, 'Synced');
    assert.equal(appOf(report, 'dev', 'redis').status, 'Synced');

    const [infra] = buildAppTree(report.environments.find((environment) => environment.name === 'dev')!.apps);
    assert.equal(rolledUpCounts(infra!).outOfSync, 1, 'the drift counts at the top of the tree');
    assert.equal(infra!.app.counts.outOfSync, 0, 'while infra itself is in sync');
  });
});

function withFluxLabels(object: KubeObject, name: string, namespace: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, [FLUX_KUSTOMIZE_NAME_LABEL]: name, [FLUX_KUSTOMIZE_NAMESPACE_LABEL]: namespace } } };
}
