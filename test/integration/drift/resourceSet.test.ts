// A Flux Operator ResourceSet against the real API server: its objects put live as the operator applies them
// (server-side as flux-operator, with its resourceset.fluxcd.controlplane.io labels, its inventory in status),
// so the ResourceSet's app compares Synced; a generated ConfigMap edited live is OutOfSync in that app only, and
// a labelled object the ResourceSet no longer generates (an input removed) is Extra there.
import * as assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { buildAppTree } from '../../../src/core/appTree';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import type { KubeObject } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { FLUX_CRD_FILES, installGitOpsCrds, installResourceSetCrd } from '../../support/crds';
import { applyAppsAsFlux, withFluxLabels, withOwnerLabels } from '../../support/fluxTreeRepo';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { freshNamespace } from '../../support/namespace';
import { appOf, flagged, statusOnce } from './driftFixture';

const AS_FLUX = { fieldManager: 'kustomize-controller', force: true, dryRun: false };

const tenantsKustomization = (namespace: string): KubeObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'tenants', namespace },
  spec: { interval: '10m', prune: true, path: './tenants', sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } },
});

function tenantsRepo(namespace: string, context: string): Promise<string> {
  const resourceSet = {
    apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet', metadata: { name: 'team-settings', namespace },
    spec: {
      inputs: [{ team: 'red', replicas: 2 }, { team: 'blue', replicas: 3 }],
      resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings-<< inputs.team >>' }, data: { replicas: '<< inputs.replicas | quote >>' } }],
    },
  };
  return writeRepo({
    '.driftline.yaml': stringify({ environments: [{ name: 'dev', context }] }),
    'clusters/dev/tenants.yaml': stringify(tenantsKustomization(namespace)),
    'tenants/resourceset.yaml': stringify(resourceSet),
  });
}

describe('DriftEngine: a Flux Operator ResourceSet applied as the operator applies it', function () {
  this.timeout(120_000);
  const info = testCluster();
  let root: string;
  let namespace: string;

  before(async () => {
    await installGitOpsCrds(info, FLUX_CRD_FILES);
    const client = testClient();
    await installResourceSetCrd(client);
    namespace = await freshNamespace('resourceset');
    root = await tenantsRepo(namespace, info.adminContext);
    // The cluster root applied the tenants Kustomization; its build, the ResourceSet; the operator, the ConfigMaps.
    await client.serverSideApply(withFluxLabels(tenantsKustomization(namespace), 'flux-system', 'flux-system'), AS_FLUX);
    await applyAppsAsFlux(root, 'dev', client);
  });

  after(removeTempRepos);

  it('lists the ResourceSet as an app under the Kustomization applying it, Synced with the objects it generates', async () => {
    const model = await discoverRepo(root);
    const tree = buildAppTree(model.environments.find((environment) => environment.name === 'dev')!.apps);
    assert.deepEqual(tree.map((node) => [node.app.name, node.children.map((child) => child.app.name)]), [['tenants', ['team-settings']]]);
    const report = await statusOnce(root, info.kubeconfig);
    assert.deepEqual(flagged(report), []);
    const app = appOf(report, 'dev', 'team-settings');
    const { apiVersion, kind, name, namespace: controllerNamespace } = app.controller!;
    assert.deepEqual({ apiVersion, kind, name, namespace: controllerNamespace }, { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet', name: 'team-settings', namespace });
    assert.deepEqual(app.resources.map((resource) => `${resource.status} ${resource.kind}/${resource.namespace}/${resource.name}`),
      [`Synced ConfigMap/${namespace}/settings-red`, `Synced ConfigMap/${namespace}/settings-blue`]);
    assert.deepEqual(appOf(report, 'dev', 'tenants').resources.map((resource) => `${resource.status} ${resource.kind}/${resource.name}`), ['Synced ResourceSet/team-settings']);
  });

  it('shows a generated ConfigMap edited live as OutOfSync in the ResourceSet\'s app only, and a labelled leftover as Extra there', async () => {
    const client = testClient();
    await client.mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'settings-blue' }, { data: { replicas: '9' } }, { fieldManager: 'kubectl-edit' });
    // What the operator applied for an input since removed from Git, and not yet pruned.
    const owner = { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet' as const, name: 'team-settings', namespace };
    await client.serverSideApply(withOwnerLabels({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings-green', namespace }, data: { replicas: '1' } }, owner),
      { fieldManager: 'flux-operator', force: true, dryRun: false });
    const report = await statusOnce(root, info.kubeconfig);
    assert.deepEqual(flagged(report), ['dev/team-settings: Extra ConfigMap/settings-green', 'dev/team-settings: OutOfSync ConfigMap/settings-blue']);
    const blue = appOf(report, 'dev', 'team-settings').resources.find((resource) => resource.name === 'settings-blue');
    assert.deepEqual(blue?.changedPaths, ['/data/replicas']);
  });
});
