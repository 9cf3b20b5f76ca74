// An object the app owns whose kind Git no longer has at all: nothing in Git asks to LIST that kind any more,
// yet the object is still the app's, a prune candidate. The engine lists what it listed before and finds it.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { DriftEngine } from '../../../src/core/drift/engine';
import { FLUX_KUSTOMIZE_NAME_LABEL, FLUX_KUSTOMIZE_NAMESPACE_LABEL } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { FLUX_CRD_FILES, installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { makeFluxRepo, type FluxRepo } from '../sync/fluxRepo';
import { appOf, applyApps, flagged, removeRepo, resourceOf, statusOnce, writeRepo } from './driftFixture';

describe('DriftEngine: Extra objects of a kind Git dropped', function () {
  this.timeout(60_000);
  const info = testCluster();
  let root: string;
  let engine: DriftEngine;

  before(async () => {
    const namespace = await freshNamespace('dropped-kind');
    const tracked = 'labels: {driftline.dev/app: web}';
    root = writeRepo([{ name: 'test', context: info.adminContext }], [{
      name: 'web', environments: ['test'], namespace, files: {
        'config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config, ${tracked}}\ndata: {color: blue}\n`,
        'account.yaml': `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web-runner, ${tracked}}\n`,
      },
    }]);
    await applyApps(root, 'test', testClient());
    engine = new DriftEngine({ repoRoot: root, kubeconfig: info.kubeconfig });
  });

  after(() => {
    engine?.close();
    if (root) removeRepo(root);
  });

  it('reports the leftover ServiceAccount Extra after its only manifest is deleted from Git', async () => {
    assert.deepEqual(flagged(await engine.status()), []);
    const manifest = path.join(root, 'apps/web/account.yaml');
    fs.rmSync(manifest);
    engine.filesChanged([manifest]);
    const report = await engine.status();
    assert.deepEqual(flagged(report), ['test/web: Extra ServiceAccount/web-runner']);
    assert.equal(resourceOf(appOf(report, 'test', 'web'), 'ConfigMap', 'web-config').status, 'Synced');
  });
});

describe('DriftEngine: Extra objects of a kind Git dropped, from the Flux inventory (one-shot run)', function () {
  this.timeout(90_000);
  const info = testCluster();
  let repo: FluxRepo;
  let namespace: string;

  before(async () => {
    await installGitOpsCrds(info, FLUX_CRD_FILES);
    const admin = testClient();
    namespace = await freshNamespace('flux-inventory');
    repo = makeFluxRepo({
      'clusters/dev/web.yaml': stringify({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'web', namespace },
        spec: { interval: '10m', prune: true, path: './apps/web', targetNamespace: namespace, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
      }),
      'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {color: blue}\n',
    });
    // What kustomize-controller left live: both objects labelled as its own, and its inventory naming both,
    // while Git no longer has any ServiceAccount (the controller has not reconciled the removal yet).
    const fluxLabels = { [FLUX_KUSTOMIZE_NAME_LABEL]: 'web', [FLUX_KUSTOMIZE_NAMESPACE_LABEL]: namespace };
    const asFlux = { fieldManager: 'kustomize-controller', force: true, dryRun: false };
    await admin.serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace, labels: fluxLabels }, data: { color: 'blue' } }, asFlux);
    await admin.serverSideApply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web-runner', namespace, labels: fluxLabels } }, asFlux);
    const kustomization = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace, name: 'web' };
    await admin.create({ apiVersion: kustomization.apiVersion, kind: kustomization.kind, metadata: { name: 'web', namespace },
      spec: { interval: '10m', prune: true, path: './apps/web', targetNamespace: namespace, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } });
    await admin.mergePatch(kustomization, { status: { inventory: { entries: [
      { id: `${namespace}_web-config__ConfigMap`, v: 'v1' },
      { id: `${namespace}_web-runner__ServiceAccount`, v: 'v1' },
    ] } } }, { subresource: 'status' });
  });

  after(() => repo?.cleanup());

  it('reports the ServiceAccount the inventory still names Extra, with a fresh engine (as the CLI runs)', async () => {
    const report = await statusOnce(repo.root, info.kubeconfig);
    const web = appOf(report, 'dev', 'web');
    assert.deepEqual(web.resources.filter((resource) => resource.status === 'Extra').map((resource) => `${resource.kind}/${resource.name}`), ['ServiceAccount/web-runner']);
    assert.notEqual(resourceOf(web, 'ConfigMap', 'web-config').status, 'Missing');
  });
});
