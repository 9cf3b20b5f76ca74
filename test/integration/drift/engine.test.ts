// DriftEngine behaviour a consumer relies on: warm refreshes re-ask the server only for what changed, Secret
// values come out only through an explicit reveal, filters narrow the report and name what does not exist.
import * as assert from 'node:assert/strict';
import { resourceYaml } from '../../../src/core/drift/diffText';
import { DriftEngine } from '../../../src/core/drift/engine';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { appOf, applyApps, removeRepo, resourceOf, writeRepo } from './driftFixture';

describe('DriftEngine', function () {
  this.timeout(60_000);
  const info = testCluster();
  let root: string;
  let namespace: string;
  let engine: DriftEngine;
  const log: string[] = [];

  before(async () => {
    namespace = await freshNamespace('engine');
    root = writeRepo([{ name: 'test', context: info.adminContext }], [
      {
        name: 'web', environments: ['test'], namespace, files: {
          'objects.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {color: blue}\n---\n' +
            'apiVersion: v1\nkind: Secret\nmetadata: {name: web-token}\nstringData: {token: hunter2}\n',
        },
      },
      { name: 'other', environments: ['test'], namespace, files: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {a: b, c: d}\n' } },
    ], { ignore: [{ kind: 'ConfigMap', name: 'other', jsonPointers: ['/data/a'] }] });
    await applyApps(root, 'test', testClient());
    engine = new DriftEngine({ repoRoot: root, kubeconfig: info.kubeconfig, log: (line) => log.push(line) });
  });

  after(() => {
    engine.close();
    removeRepo(root);
  });

  const dryRunsOfLastRun = () => Number((log[log.length - 1].match(/(\d+) dry-runs sent/) ?? [])[1]);
  /** Objects whose managedFields answered without a dry-run. */
  const provenOfLastRun = () => Number((log[log.length - 1].match(/\((\d+) not needed\)/) ?? [])[1]);

  it('dry-runs only objects whose desired form or live resourceVersion changed since the last refresh', async () => {
    await engine.status();
    assert.equal(dryRunsOfLastRun() + provenOfLastRun(), 3, 'every live object is answered, by a dry-run or by its managedFields');
    assert.ok(dryRunsOfLastRun() >= 1, 'the Secret written as stringData needs the server');
    await engine.status();
    assert.equal(dryRunsOfLastRun(), 0, 'a warm refresh with no change asks the server for no dry-run');
    await testClient().mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'web-config' }, { data: { color: 'red' } });
    const report = await engine.status();
    assert.equal(dryRunsOfLastRun(), 1);
    assert.equal(resourceOf(appOf(report, 'test', 'web'), 'ConfigMap', 'web-config').status, 'OutOfSync');
  });

  it('masks Secret values in status, and reveals them only through revealResource', async () => {
    const report = await engine.status();
    const masked = resourceOf(appOf(report, 'test', 'web'), 'Secret', 'web-token');
    assert.ok(!resourceYaml(masked, 'live')?.includes(Buffer.from('hunter2').toString('base64')));
    const revealed = await engine.revealResource('test', 'web', { apiVersion: 'v1', kind: 'Secret', namespace, name: 'web-token' });
    assert.match(resourceYaml(revealed, 'live') ?? '', new RegExp(`token: ${Buffer.from('hunter2').toString('base64')}`));
    assert.match(resourceYaml(revealed, 'desired') ?? '', new RegExp(`token: ${Buffer.from('hunter2').toString('base64')}`));
    assert.ok(!log.join('\n').includes('hunter2') && !log.join('\n').includes(Buffer.from('hunter2').toString('base64')));
  });

  it('refuses to reveal an object the app does not have, naming it', async () => {
    await assert.rejects(engine.revealResource('test', 'web', { apiVersion: 'v1', kind: 'Secret', namespace, name: 'nope' }),
      new RegExp(`Secret/${namespace}/nope is not part of app web in environment test`));
  });

  it('honours ignore rules: a change at an ignored pointer is not drift, one next to it is', async () => {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'other' };
    await testClient().mergePatch(ref, { data: { a: 'changed' } });
    const ignored = resourceOf(appOf(await engine.status({ app: 'other' }), 'test', 'other'), 'ConfigMap', 'other');
    assert.equal(ignored.status, 'Synced');
    assert.doesNotMatch(resourceYaml(ignored, 'live') ?? '', /changed/, 'ignored fields are left out of the diff too');
    await testClient().mergePatch(ref, { data: { c: 'changed' } });
    const drifted = resourceOf(appOf(await engine.status({ app: 'other' }), 'test', 'other'), 'ConfigMap', 'other');
    assert.deepEqual(drifted.changedPaths, ['/data/c']);
  });

  it('narrows the report to one app, and names the known ones for an unknown environment or app', async () => {
    const report = await engine.status({ app: 'other' });
    assert.deepEqual(report.environments.map((environment) => environment.apps.map((app) => app.name)), [['other']]);
    await assert.rejects(engine.status({ env: 'prod' }), /no environment "prod" in .* \(environments: test\)/);
    await assert.rejects(engine.status({ app: 'nope' }), /no app "nope" in .* \(apps: other, web\)/);
  });
});
