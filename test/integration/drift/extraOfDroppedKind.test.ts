// An object the app owns whose kind Git no longer has at all: nothing in Git asks to LIST that kind any more,
// yet the object is still the app's, a prune candidate. The engine lists what it listed before and finds it.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DriftEngine } from '../../../src/core/drift/engine';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { appOf, applyApps, flagged, removeRepo, resourceOf, writeRepo } from './driftFixture';

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
