// Direct sync against the real test kube-apiserver: plan (dry-run), apply as field manager `driftline`, prune
// only what the app owns, conflicts with other field managers, protected environments, a read-only user.
import assert from 'node:assert/strict';
import { DriftEngine } from '../../../src/core/drift/engine';
import { DRIFTLINE_APP_LABEL, DRIFTLINE_ENV_ANNOTATION, describeRef, refOf, type KubeObject } from '../../../src/core/model';
import { applySyncPlan, describePlan, prepareSync, SyncError, type SyncPlan } from '../../../src/core/sync';
import { testClient, testCluster, testWorkspace } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { decodeSecret, makeSyncRepo, ref, shopObjects, type SyncRepo } from './syncFixture';

const admin = testClient();

async function planFor(repo: SyncRepo, options: { prune?: boolean; forceConflicts?: boolean; context?: string } = {}): Promise<SyncPlan> {
  const prepared = await prepareSync(testWorkspace(repo.root), { environment: 'dev', app: 'shop', ...options });
  assert.equal(prepared.mode, 'direct');
  return (prepared as { plan: SyncPlan }).plan;
}

async function syncNow(repo: SyncRepo, options: { prune?: boolean; forceConflicts?: boolean } = {}) {
  return applySyncPlan(admin, await planFor(repo, options));
}

async function statusOf(repo: SyncRepo) {
  const engine = new DriftEngine({ repoRoot: repo.root, kubeconfig: testCluster().kubeconfig });
  try {
    const report = await engine.status({ env: 'dev', app: 'shop' });
    const app = report.environments[0]?.apps[0];
    assert.ok(app, 'status has the app');
    return app;
  } finally {
    engine.close();
  }
}

function actions(plan: SyncPlan): string[] {
  return plan.changes.map((c) => `${c.action} ${describeRef(c.ref)}`);
}

describe('core/sync: direct sync against the real API server', () => {
  let namespace: string;
  let repo: SyncRepo;

  beforeEach(async () => {
    namespace = await freshNamespace('sync', admin);
    repo = makeSyncRepo({ namespace, objects: shopObjects(namespace) });
  });
  afterEach(() => repo.cleanup());

  it('plans every object as a create first, applies them in order, and status is then all Synced', async () => {
    const plan = await planFor(repo);
    assert.deepEqual(actions(plan).sort(), [
      `create ConfigMap/${namespace}/shop-config`, `create Deployment/${namespace}/shop`,
      `create Secret/${namespace}/shop-db`, `create Service/${namespace}/shop`,
    ]);
    assert.deepEqual(plan.blocked, []);
    const result = await applySyncPlan(admin, plan);
    assert.equal(result.applied.length, 4);
    const config = await admin.get(ref('ConfigMap', namespace, 'shop-config'));
    assert.equal(config?.metadata.labels?.[DRIFTLINE_APP_LABEL], 'shop');
    assert.equal(config?.metadata.annotations?.[DRIFTLINE_ENV_ANNOTATION], 'dev');
    const managers = (config?.metadata.managedFields as { manager: string }[]).map((m) => m.manager);
    assert.deepEqual(managers, ['driftline']);
    const status = await statusOf(repo);
    assert.equal(status.status, 'Synced', JSON.stringify(status.resources.map((r) => [r.kind, r.status, r.reason])));
  });

  it('repairs every kind of drift (changed field, field removed from Git, deleted object, changed Secret) so status is all Synced', async () => {
    await syncNow(repo);
    await admin.mergePatch(ref('ConfigMap', namespace, 'shop-config'), { data: { color: 'red' } }, { fieldManager: 'kubectl-edit' });
    await admin.mergePatch(ref('Secret', namespace, 'shop-db'), { data: { password: Buffer.from('changed-live').toString('base64') } }, { fieldManager: 'kubectl-edit' });
    await admin.delete(ref('Service', namespace, 'shop'));
    repo.writeApp(shopObjects(namespace, { configData: { color: 'blue' } })); // `size` removed from Git
    const drifted = await statusOf(repo);
    assert.equal(drifted.status, 'OutOfSync');

    const plan = await planFor(repo, { forceConflicts: true });
    assert.deepEqual(actions(plan).filter((a) => !a.startsWith('unchanged')).sort(), [
      `create Service/${namespace}/shop`, `update ConfigMap/${namespace}/shop-config`, `update Secret/${namespace}/shop-db`,
    ]);
    const configChange = plan.changes.find((c) => c.ref.kind === 'ConfigMap');
    assert.deepEqual(configChange?.changedPaths?.sort(), ['/data/color', '/data/size']);
    const preview = describePlan(plan).join('\n');
    assert.ok(!preview.includes('git-password-1') && !preview.includes('changed-live'), `no Secret value in the preview:\n${preview}`);
    assert.match(preview, new RegExp(`update\\s+Secret/${namespace}/shop-db\\s+\\(/data/password`));

    await applySyncPlan(admin, plan);
    const config = await admin.get(ref('ConfigMap', namespace, 'shop-config'));
    assert.deepEqual(config?.data, { color: 'blue' });
    assert.equal(decodeSecret(await admin.get(ref('Secret', namespace, 'shop-db')), 'password'), 'git-password-1');
    assert.ok(await admin.get(ref('Service', namespace, 'shop')));
    const status = await statusOf(repo);
    assert.deepEqual(status.resources.filter((r) => r.status !== 'Synced').map((r) => `${r.kind} ${r.status} ${r.reason}`), []);
    assert.equal(status.status, 'Synced');
  });

  it('prunes only the app\'s own Extra objects; an unowned look-alike of the same kind and namespace survives', async () => {
    await syncNow(repo);
    const owned: KubeObject = {
      apiVersion: 'v1', kind: 'ConfigMap', data: { old: 'yes' },
      metadata: { name: 'shop-old', namespace, labels: { [DRIFTLINE_APP_LABEL]: 'shop' }, annotations: { [DRIFTLINE_ENV_ANNOTATION]: 'dev' } },
    };
    const lookAlike: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', data: { old: 'yes' }, metadata: { name: 'shop-old-manual', namespace, labels: { app: 'shop' } } };
    const otherApp: KubeObject = {
      apiVersion: 'v1', kind: 'ConfigMap', data: {},
      metadata: { name: 'cart-config', namespace, labels: { [DRIFTLINE_APP_LABEL]: 'cart' }, annotations: { [DRIFTLINE_ENV_ANNOTATION]: 'dev' } },
    };
    for (const object of [owned, lookAlike, otherApp]) await admin.serverSideApply(object, { dryRun: false, fieldManager: 'test-setup', force: true });

    const withoutPrune = await planFor(repo);
    assert.deepEqual(actions(withoutPrune).filter((a) => a.startsWith('prune')), [`prune ConfigMap/${namespace}/shop-old`]);
    const skipped = await applySyncPlan(admin, withoutPrune);
    assert.deepEqual(skipped.skipped.map((s) => `${s.ref.name}: ${s.reason}`), ['shop-old: prune was not requested']);
    assert.ok(await admin.get(ref('ConfigMap', namespace, 'shop-old')), 'nothing deleted without prune');

    const result = await applySyncPlan(admin, await planFor(repo, { prune: true }));
    assert.deepEqual(result.applied.map((a) => `${a.action} ${a.ref.name}`), ['prune shop-old']);
    assert.equal(await admin.get(ref('ConfigMap', namespace, 'shop-old')), undefined);
    assert.ok(await admin.get(ref('ConfigMap', namespace, 'shop-old-manual')), 'the unowned look-alike survives');
    assert.ok(await admin.get(ref('ConfigMap', namespace, 'cart-config')), "another app's object survives");
    assert.ok(await admin.get(ref('ConfigMap', namespace, 'shop-config')), 'objects in Git stay');
  });

  it('prunes an object listed in the app controller\'s Flux inventory even without tracking labels', async () => {
    const { planSync } = await import('../../../src/core/sync');
    await admin.serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-flux', namespace }, data: {} }, { dryRun: false, fieldManager: 'kustomize-controller', force: true });
    await admin.serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-listed', namespace }, data: {} }, { dryRun: false, fieldManager: 'kustomize-controller', force: true });
    const kustomization: KubeObject = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'shop', namespace: 'flux-system' },
      status: { inventory: { entries: [{ id: `${namespace}_from-flux__ConfigMap`, v: 'v1' }] } },
    };
    const plan = await planSync({
      client: admin,
      app: { name: 'shop', environment: 'dev', renderer: 'yaml', path: repo.root, origin: 'config', declaredAt: { file: repo.root } },
      environment: { name: 'dev', context: testCluster().adminContext, protected: false },
      desired: [], controllerObject: kustomization, prune: true,
    });
    assert.deepEqual(actions(plan), [`prune ConfigMap/${namespace}/from-flux`]);
    assert.match(plan.changes[0]?.note ?? '', /inventory of Kustomization flux-system\/shop/);
  });

  it('names the field manager that owns a conflicting field, changes nothing, and takes the field over when forced', async () => {
    await syncNow(repo);
    const deployment = ref('Deployment', namespace, 'shop');
    await admin.serverSideApply(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop', namespace }, spec: { replicas: 5 } } as KubeObject,
      { dryRun: false, fieldManager: 'hpa-tuner', force: true },
    );
    const plan = await planFor(repo);
    const change = plan.changes.find((c) => c.ref.kind === 'Deployment');
    assert.equal(change?.action, 'update');
    assert.deepEqual(change?.conflicts, [{ manager: 'hpa-tuner', fields: ['.spec.replicas'] }]);
    assert.match(describePlan(plan).join('\n'), /conflict: \.spec\.replicas owned by "hpa-tuner" \(needs force\)/);

    await assert.rejects(applySyncPlan(admin, plan), (error: Error) => {
      assert.ok(error instanceof SyncError);
      assert.match(error.message, /\.spec\.replicas owned by "hpa-tuner"/);
      assert.match(error.message, /nothing was changed/);
      assert.match(error.message, /--force-conflicts/);
      return true;
    });
    assert.equal(((await admin.get(deployment))?.spec as { replicas: number }).replicas, 5);

    await applySyncPlan(admin, await planFor(repo, { forceConflicts: true }));
    const live = await admin.get(deployment);
    assert.equal((live?.spec as { replicas: number }).replicas, 2);
    const owners = (live?.metadata.managedFields as { manager: string; fieldsV1?: { 'f:spec'?: Record<string, unknown> } }[])
      .filter((m) => m.fieldsV1?.['f:spec']?.['f:replicas'] !== undefined).map((m) => m.manager);
    assert.deepEqual(owners, ['driftline']);
  });

  it('in a protected environment, refuses to apply unless the environment name is typed', async () => {
    repo.cleanup();
    repo = makeSyncRepo({ namespace, objects: shopObjects(namespace), protected: true });
    const plan = await planFor(repo);
    assert.equal(plan.protected, true);
    await assert.rejects(applySyncPlan(admin, plan), /Environment dev is protected: .*typing the environment's name.*Nothing was changed/);
    await assert.rejects(applySyncPlan(admin, plan, { confirmation: 'prod' }), /"prod" does not match/);
    assert.equal(await admin.get(ref('ConfigMap', namespace, 'shop-config')), undefined);
    await applySyncPlan(admin, plan, { confirmation: 'dev' });
    assert.ok(await admin.get(ref('ConfigMap', namespace, 'shop-config')));
  });
});

describe('core/sync: apply order', () => {
  it('creates a Namespace, a CRD and an object of that CRD in one sync: Namespace, then CRD (once served), then the rest', async () => {
    const { planSync } = await import('../../../src/core/sync');
    const suffix = Math.random().toString(36).slice(2, 8);
    const group = `${suffix}.example.com`;
    const namespace = `order-${suffix}`;
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${group}` },
      spec: {
        group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    const widget: KubeObject = { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1', namespace }, spec: { size: 3 } };
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
    const source = { file: '/repo/app.yaml' };
    const plan = await planSync({
      client: admin,
      app: { name: `order-${suffix}`, environment: 'dev', renderer: 'yaml', path: '/repo', origin: 'config', declaredAt: source },
      environment: { name: 'dev', context: testCluster().adminContext, protected: false },
      desired: [widget, crd, ns].map((object) => ({ object, source })),
    });
    assert.deepEqual(plan.blocked, []);
    assert.deepEqual(actions(plan), [`create Namespace/${namespace}`, `create CustomResourceDefinition/widgets.${group}`, `create Widget/${namespace}/w1`]);
    assert.match(plan.changes[2]?.note ?? '', /CustomResourceDefinition is created first by this sync/);
    await applySyncPlan(admin, plan);
    assert.deepEqual((await admin.get({ apiVersion: `${group}/v1`, kind: 'Widget', namespace, name: 'w1' }))?.spec, { size: 3 });
  });
});

describe('core/sync: the read-only user', () => {
  it('fails with a clear Forbidden message naming the user and object, and changes nothing', async () => {
    const info = testCluster();
    const namespace = info.limitedNamespace;
    const objects = shopObjects(namespace).map((o) => ({ ...o, metadata: { ...o.metadata, name: `${o.metadata.name}-ro` } }));
    const repo = makeSyncRepo({ namespace, objects, context: info.limitedContext });
    try {
      const limited = testClient({ limited: true });
      const plan = await planFor(repo);
      assert.equal(plan.blocked.length, 4);
      assert.match(plan.blocked[0]?.reason ?? '', new RegExp(`Forbidden: user "${info.limitedUser}" \\(context "${info.limitedContext}"\\) may not patch`));
      await assert.rejects(applySyncPlan(limited, plan), (error: Error) => {
        assert.match(error.message, /Cannot sync app shop in environment dev .*nothing was changed/);
        assert.match(error.message, new RegExp(`ConfigMap/${namespace}/shop-config-ro: Forbidden`));
        return true;
      });
      for (const object of objects) assert.equal(await admin.get(refOf(object)), undefined, `${object.kind} was not created`);
    } finally {
      repo.cleanup();
    }
  });
});
