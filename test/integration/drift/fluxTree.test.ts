// Fidelity of a three-level Flux tree against the real API server: each level's build applied as
// kustomize-controller applies it (test/support/fluxTreeRepo.ts), so everything compares Synced; drift caused in
// the grandchild shows there only, and rolls up in the tree.
import * as assert from 'node:assert/strict';
import { buildAppTree, rolledUpCounts } from '../../../src/core/appTree';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { testClient, testCluster } from '../../support/cluster';
import { FLUX_CRD_FILES, installGitOpsCrds } from '../../support/crds';
import { applyFluxTreeAsFlux, writeFluxTreeRepo } from '../../support/fluxTreeRepo';
import { removeTempRepos } from '../../support/gitopsExamples';
import { freshNamespace } from '../../support/namespace';
import { appOf, flagged, statusOnce } from './driftFixture';

describe('DriftEngine: a three-level Flux tree applied as Flux applies it', function () {
  this.timeout(120_000);
  const info = testCluster();
  let root: string;
  let namespace: string;

  before(async () => {
    await installGitOpsCrds(info, FLUX_CRD_FILES);
    namespace = await freshNamespace('flux-tree');
    root = await writeFluxTreeRepo(namespace, info.adminContext);
    await applyFluxTreeAsFlux(root, namespace, testClient());
  });

  after(removeTempRepos);

  it('discovers the three levels, each under the Kustomization whose build applies it', async () => {
    const model = await discoverRepo(root);
    const tree = buildAppTree(model.environments.find((environment) => environment.name === 'dev')!.apps);
    const shape = (nodes: typeof tree): unknown => nodes.map((node) => [node.app.name, shape(node.children)]);
    assert.deepEqual(shape(tree), [['infra', [['redis', [['redis-tuning', []]]]]]]);
  });

  it('compares every level Synced, then shows drift in the grandchild only, rolled up to the levels above', async () => {
    assert.deepEqual(flagged(await statusOnce(root, info.kubeconfig)), []);

    // Someone edits the grandchild's ConfigMap with kubectl.
    await testClient().mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'redis-tuning' }, { data: { hz: '100' } }, { fieldManager: 'kubectl-edit' });
    const report = await statusOnce(root, info.kubeconfig);
    assert.deepEqual(flagged(report), ['dev/redis-tuning: OutOfSync ConfigMap/redis-tuning']);
    assert.equal(appOf(report, 'dev', 'infra').status, 'Synced');
    assert.equal(appOf(report, 'dev', 'redis').status, 'Synced');

    const [infra] = buildAppTree(report.environments.find((environment) => environment.name === 'dev')!.apps);
    assert.equal(rolledUpCounts(infra!).outOfSync, 1, 'the drift counts at the top of the tree');
    assert.equal(infra!.app.counts.outOfSync, 0, 'while infra itself is in sync');
  });
});
