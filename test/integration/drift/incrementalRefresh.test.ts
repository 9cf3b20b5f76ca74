// The refresh after `filesChanged`: it may keep the repo model and the renders of apps the change does not
// touch, but every change a user reports must still show, wherever it is in an app's tree.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { DriftEngine } from '../../../src/core/drift/engine';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { appOf, applyApps, removeRepo, resourceOf } from './driftFixture';

const configMap = (name: string, color: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {color: ${color}}\n`;
const kustomization = (namespace: string, resources: string[]) => stringify({ namespace, resources });

describe('DriftEngine refresh after filesChanged', function () {
  this.timeout(60_000);
  const info = testCluster();
  let root: string;
  let namespace: string;
  let engine: DriftEngine;
  const log: string[] = [];
  const file = (relative: string) => path.join(root, relative);
  function write(relative: string, text: string): string {
    fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
    fs.writeFileSync(file(relative), text);
    return file(relative);
  }

  before(async () => {
    namespace = await freshNamespace('incremental');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-incremental-'));
    // Folder conventions: discovery itself decides the apps, as in most repos.
    write('.driftline.yaml', stringify({ environments: [{ name: 'test', context: info.adminContext }] }));
    write('base/web/kustomization.yaml', stringify({ resources: ['config.yaml'] }));
    write('base/web/config.yaml', configMap('web-config', 'blue'));
    write('environments/test/web/kustomization.yaml', kustomization(namespace, ['../../../base/web']));
    write('environments/test/other/kustomization.yaml', kustomization(namespace, ['config.yaml']));
    write('environments/test/other/config.yaml', configMap('other-config', 'green'));
    await applyApps(root, 'test', testClient());
    engine = new DriftEngine({ repoRoot: root, kubeconfig: info.kubeconfig, log: (line) => log.push(line) });
    await engine.status();
  });

  after(() => {
    engine.close();
    removeRepo(root);
  });

  const statusOf = async (app: string, kind: string, name: string) => resourceOf(appOf(await engine.status(), 'test', app), kind, name).status;

  it('shows an edit of a shared base, and its undoing, in the app built from it', async () => {
    const base = write('base/web/config.yaml', configMap('web-config', 'red'));
    engine.filesChanged([base]);
    assert.equal(await statusOf('web', 'ConfigMap', 'web-config'), 'OutOfSync');
    write('base/web/config.yaml', configMap('web-config', 'blue'));
    engine.filesChanged([base]);
    assert.equal(await statusOf('web', 'ConfigMap', 'web-config'), 'Synced');
  });

  it('re-renders only the app an edit affects, and keeps discovery', async () => {
    log.length = 0;
    const edited = write('environments/test/other/config.yaml', configMap('other-config', 'yellow'));
    engine.filesChanged([edited]);
    const report = await engine.status();
    assert.equal(resourceOf(appOf(report, 'test', 'other'), 'ConfigMap', 'other-config').status, 'OutOfSync');
    assert.equal(resourceOf(appOf(report, 'test', 'web'), 'ConfigMap', 'web-config').status, 'Synced');
    assert.ok(log.includes('files changed: re-render test/other'), log.join('\n'));
    assert.ok(!log.some((line) => line.includes('re-discover')), log.join('\n'));
    write('environments/test/other/config.yaml', configMap('other-config', 'green'));
    engine.filesChanged([edited]);
    assert.equal(await statusOf('other', 'ConfigMap', 'other-config'), 'Synced');
  });

  it('finds an app whose folder was created, and forgets it once deleted', async () => {
    const created = [
      write('environments/test/api/kustomization.yaml', kustomization(namespace, ['config.yaml'])),
      write('environments/test/api/config.yaml', configMap('api-config', 'red')),
    ];
    engine.filesChanged(created);
    assert.equal(await statusOf('api', 'ConfigMap', 'api-config'), 'Missing');
    fs.rmSync(file('environments/test/api'), { recursive: true });
    engine.filesChanged([file('environments/test/api')]);
    const report = await engine.status();
    assert.deepEqual(report.environments[0].apps.map((app) => app.name), ['other', 'web']);
  });

  it('applies a changed .driftline.yaml', async () => {
    const config = write('.driftline.yaml', stringify({ environments: [{ name: 'test', context: info.adminContext, protected: true }] }));
    engine.filesChanged([config]);
    assert.equal((await engine.status()).environments[0].protected, true);
  });

  it('shows live changes to apps whose files did not change: an edited object and an Extra, each coming and going', async () => {
    const client = testClient();
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'web-config' };
    assert.equal(await statusOf('web', 'ConfigMap', 'web-config'), 'Synced');
    await client.mergePatch(ref, { data: { color: 'orange' } }, { fieldManager: 'kubectl-edit' });
    assert.equal(await statusOf('web', 'ConfigMap', 'web-config'), 'OutOfSync');
    await client.mergePatch(ref, { data: { color: 'blue' } }, { fieldManager: 'kubectl-edit' });
    assert.equal(await statusOf('web', 'ConfigMap', 'web-config'), 'Synced');
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leftover', namespace, labels: { 'driftline.dev/app': 'other' } }, data: { x: 'y' } });
    assert.equal(await statusOf('other', 'ConfigMap', 'leftover'), 'Extra');
    await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'leftover' });
    const other = appOf(await engine.status(), 'test', 'other');
    assert.deepEqual(other.resources.map((resource) => `${resource.name} ${resource.status}`), ['other-config Synced']);
  });

  it('shows an edit reported under another name of the repo (the repo opened through a symlink)', async () => {
    const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-link-')), 'repo');
    fs.symlinkSync(root, link);
    const linked = new DriftEngine({ repoRoot: link, kubeconfig: info.kubeconfig });
    try {
      assert.equal(resourceOf(appOf(await linked.status(), 'test', 'web'), 'ConfigMap', 'web-config').status, 'Synced');
      linked.filesChanged([write('base/web/config.yaml', configMap('web-config', 'pink'))]);
      assert.equal(resourceOf(appOf(await linked.status(), 'test', 'web'), 'ConfigMap', 'web-config').status, 'OutOfSync');
    } finally {
      linked.close();
      write('base/web/config.yaml', configMap('web-config', 'blue'));
      fs.rmSync(path.dirname(link), { recursive: true, force: true });
    }
  });

  it('still re-reads every app on a refresh no filesChanged announced', async () => {
    write('base/web/config.yaml', configMap('web-config', 'purple'));
    try {
      assert.equal(await statusOf('web', 'ConfigMap', 'web-config'), 'OutOfSync');
    } finally {
      write('base/web/config.yaml', configMap('web-config', 'blue'));
    }
    assert.equal(await statusOf('web', 'ConfigMap', 'web-config'), 'Synced');
  });
});
