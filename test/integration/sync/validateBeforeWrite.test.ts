// Sync validates every object before the first write, on the real test kube-apiserver (v1.20): an object the
// server would refuse (a field 1.20 does not know, a kind it does not serve, an immutable field change, an
// invalid custom resource) blocks the sync with nothing written and is named with the server's words, also
// when it lives in a Namespace the same sync creates; the user may apply the others instead.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { runSync } from '../../../src/cli/sync';
import { DriftEngine } from '../../../src/core/drift/engine';
import { describeRef, type KubeObject } from '../../../src/core/model';
import { applySyncPlan, prepareSync, SyncError, type SyncPlan } from '../../../src/core/sync';
import { testClient, testCluster, testWorkspace } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { runCli } from './runCli';
import { makeSyncRepo, ref, shopObjects, type SyncRepo } from './syncFixture';

const admin = testClient();

/** A namespace name no test used before (the test server never finishes deleting namespaces). */
const newNamespaceName = () => `sync-new-${crypto.randomBytes(4).toString('hex')}`;

/** The app of the public repo that half-deployed: a new Namespace, objects 1.20 takes, and some it refuses. */
function appInNewNamespace(namespace: string): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace }, data: { mode: 'fast' } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
      },
    },
    {
      // persistentVolumeClaimRetentionPolicy came with Kubernetes 1.23: a 1.20 server refuses it.
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace },
      spec: {
        serviceName: 'db', selector: { matchLabels: { app: 'db' } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain' },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
      },
    },
    {
      // batch/v1 CronJob is served from 1.21 on.
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'b', image: 'busybox' }] } } } } },
    },
  ];
}

async function planFor(repo: SyncRepo): Promise<SyncPlan> {
  const prepared = await prepareSync(testWorkspace(repo.root), { environment: 'dev', app: 'shop' });
  assert.equal(prepared.mode, 'direct');
  return (prepared as { plan: SyncPlan }).plan;
}

describe('core/sync: validated before the first write', () => {
  let repo: SyncRepo | undefined;
  afterEach(() => repo?.cleanup());

  it('blocks a sync into a new Namespace when the server would refuse some of its objects, and writes nothing', async () => {
    const namespace = newNamespaceName();
    repo = makeSyncRepo({ namespace, objects: appInNewNamespace(namespace) });
    const plan = await planFor(repo);
    const blocked = new Map(plan.blocked.map((b) => [describeRef(b.ref), b.reason]));
    assert.deepEqual([...blocked.keys()].sort(), [`CronJob/${namespace}/backup`, `StatefulSet/${namespace}/db`]);
    assert.match(blocked.get(`StatefulSet/${namespace}/db`) ?? '', /persistentVolumeClaimRetentionPolicy/, 'the server names the field');
    assert.match(blocked.get(`CronJob/${namespace}/backup`) ?? '', /has no kind CronJob in batch\/v1/);
    assert.deepEqual(plan.changes.map((c) => `${c.action} ${describeRef(c.ref)}`).sort(), [
      `create ConfigMap/${namespace}/web-config`, `create Deployment/${namespace}/web`, `create Namespace/${namespace}`,
    ]);
    await assert.rejects(applySyncPlan(admin, plan), (error: Error) =>
      error instanceof SyncError && /nothing was changed/.test(error.message) && error.message.includes(`StatefulSet/${namespace}/db`));
    assert.equal(await admin.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }), undefined, 'not even the Namespace');
  });

  it('applies the other objects when asked, and lists what it left out with the reason', async () => {
    const namespace = newNamespaceName();
    repo = makeSyncRepo({ namespace, objects: appInNewNamespace(namespace) });
    const plan = await planFor(repo);
    const result = await applySyncPlan(admin, { ...plan, skipRefused: true });
    assert.deepEqual(result.applied.map((a) => describeRef(a.ref)).sort(),
      [`ConfigMap/${namespace}/web-config`, `Deployment/${namespace}/web`, `Namespace/${namespace}`]);
    assert.ok(await admin.get(ref('ConfigMap', namespace, 'web-config')));
    assert.equal(await admin.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace, name: 'db' }), undefined);
    const left = new Map(result.skipped.map((s) => [describeRef(s.ref), s.reason]));
    assert.match(left.get(`StatefulSet/${namespace}/db`) ?? '', /persistentVolumeClaimRetentionPolicy/);
    assert.match(left.get(`CronJob/${namespace}/backup`) ?? '', /no kind CronJob/);
    // The Drift view says why the refused objects are still missing, in the server's words.
    const engine = new DriftEngine({ repoRoot: repo.root, kubeconfig: testCluster().kubeconfig });
    try {
      const report = await engine.status({ env: 'dev', app: 'shop' });
      const rows = new Map(report.environments[0]!.apps[0]!.resources.map((r) => [`${r.kind}/${r.name}`, r]));
      assert.equal(rows.get('StatefulSet/db')?.status, 'Missing');
      assert.match(rows.get('StatefulSet/db')?.reason ?? '', /server refuses to create it: .*persistentVolumeClaimRetentionPolicy/);
      assert.equal(rows.get('ConfigMap/web-config')?.status, 'Synced');
    } finally {
      engine.close();
    }
  });

  it('leaves out what needs a refused Namespace', async () => {
    const namespace = newNamespaceName();
    const objects = appInNewNamespace(namespace).slice(0, 2);
    (objects[0] as KubeObject).metadata.labels = { 'bad label!': 'x' }; // the server refuses this Namespace
    repo = makeSyncRepo({ namespace, objects });
    const plan = await planFor(repo);
    assert.deepEqual(plan.blocked.map((b) => describeRef(b.ref)), [`Namespace/${namespace}`]);
    const result = await applySyncPlan(admin, { ...plan, skipRefused: true });
    assert.deepEqual(result.applied, []);
    const left = new Map(result.skipped.map((s) => [describeRef(s.ref), s.reason]));
    assert.match(left.get(`ConfigMap/${namespace}/web-config`) ?? '', new RegExp(`needs Namespace/${namespace}, which cannot be applied`));
  });

  it('says "needs replace" for an immutable field change and changes nothing; replaces only when asked with --replace', async () => {
    const namespace = await freshNamespace('sync-immutable', admin);
    repo = makeSyncRepo({ namespace, objects: shopObjects(namespace) });
    await applySyncPlan(admin, await planFor(repo));
    const changed = shopObjects(namespace).map((object) => {
      if (object.kind !== 'Deployment') return object;
      const spec = object.spec as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
      spec.selector.matchLabels = { app: 'shop', tier: 'web' };
      spec.template.metadata.labels = { app: 'shop', tier: 'web' };
      return object;
    });
    repo.writeApp(changed);
    const before = await admin.get(ref('Deployment', namespace, 'shop'));
    const plan = await planFor(repo);
    const [blocked] = plan.blocked;
    assert.equal(plan.blocked.length, 1);
    assert.equal(describeRef(blocked!.ref), `Deployment/${namespace}/shop`);
    assert.equal(blocked!.needsReplace, true);
    assert.match(blocked!.reason, /^needs replace \(delete and create\): .*field is immutable/);
    await assert.rejects(applySyncPlan(admin, plan), SyncError);
    const after = await admin.get(ref('Deployment', namespace, 'shop'));
    assert.equal(after?.metadata.resourceVersion, before?.metadata.resourceVersion, 'the Deployment is untouched');

    // --yes alone never replaces; --replace is its own answer.
    const args = ['--repo', repo.root, '--kubeconfig', testCluster().kubeconfig, '--env', 'dev', '--app', 'shop', '--yes'];
    const refused = await runCli(runSync, args);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--replace deletes and creates again the 1 that need replacing/);
    assert.equal((await admin.get(ref('Deployment', namespace, 'shop')))?.metadata.uid, before?.metadata.uid);
    const replaced = await runCli(runSync, [...args, '--replace']);
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.match(replaced.stdout, new RegExp(`replaced Deployment/${namespace}/shop`));
    const now = await admin.get(ref('Deployment', namespace, 'shop'));
    assert.notEqual(now?.metadata.uid, before?.metadata.uid, 'a new object');
    assert.deepEqual((now?.spec as { selector: unknown }).selector, { matchLabels: { app: 'shop', tier: 'web' } });
  });

  it('applies a new CRD first, then validates its custom resources before writing any of them', async () => {
    const group = `v${crypto.randomBytes(3).toString('hex')}.driftline.test`;
    const namespace = await freshNamespace('sync-crd', admin);
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${group}` },
      spec: {
        group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{
          name: 'v1', served: true, storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
        }],
      },
    };
    const widget = (name: string, size: unknown): KubeObject => ({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name, namespace }, spec: { size } });
    repo = makeSyncRepo({ namespace, objects: [crd, widget('good', 3), widget('bad', 'big'), ...shopObjects(namespace).slice(0, 1)] });
    const plan = await planFor(repo);
    assert.deepEqual(plan.blocked, []);
    assert.ok(plan.changes.filter((c) => c.ref.kind === 'Widget').every((c) => c.validateAfterPrerequisites));
    await assert.rejects(applySyncPlan(admin, plan), (error: Error) =>
      error instanceof SyncError && /stopped before writing its objects/.test(error.message) &&
      error.message.includes(`Widget/${namespace}/bad`) && /spec\.size/.test(error.message));
    assert.ok(await admin.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: `widgets.${group}` }), 'the CRD was applied');
    assert.equal(await admin.get({ apiVersion: `${group}/v1`, kind: 'Widget', namespace, name: 'good' }), undefined, 'no custom resource was written');
    assert.equal(await admin.get(ref('ConfigMap', namespace, 'shop-config')), undefined, 'nor anything else');
  });

  it('driftline sync refuses with exit 2 and names the objects; --skip-refused applies the others and exits 1', async () => {
    const namespace = newNamespaceName();
    repo = makeSyncRepo({ namespace, objects: appInNewNamespace(namespace) });
    const args = ['--repo', repo.root, '--kubeconfig', testCluster().kubeconfig, '--env', 'dev', '--app', 'shop', '--yes'];
    const refused = await runCli(runSync, args);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stdout, new RegExp(`blocked\\s+StatefulSet/${namespace}/db: .*persistentVolumeClaimRetentionPolicy`));
    assert.match(refused.stderr, /2 object\(s\) cannot be applied .*Nothing was changed\. --skip-refused applies the other 3\./);
    assert.equal(await admin.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }), undefined);
    const rest = await runCli(runSync, [...args, '--skip-refused']);
    assert.equal(rest.code, 1, rest.stderr);
    assert.match(rest.stdout, new RegExp(`left StatefulSet/${namespace}/db: .*persistentVolumeClaimRetentionPolicy`));
    assert.ok(await admin.get(ref('ConfigMap', namespace, 'web-config')));
  });
});
