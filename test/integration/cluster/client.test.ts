// ClusterClient against the real test kube-apiserver, beyond the foundation test: custom resources and their
// status, deletes, watches, and the server refusals the drift engine turns into Unknown rows.
import assert from 'node:assert/strict';
import { ClusterError } from '../../../src/core/cluster/errors';
import type { WatchEvent } from '../../../src/core/cluster/client';
import type { KubeObject } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';

const apply = { dryRun: false, fieldManager: 'driftline-test', force: true };

async function rejectionOf(promise: Promise<unknown>): Promise<ClusterError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  assert.ok(error instanceof ClusterError, `expected a ClusterError, got ${String(error)}`);
  return error;
}

function kustomization(namespace: string): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
    metadata: { name: 'apps', namespace },
    spec: { interval: '10m', path: './apps', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
  };
}

describe('cluster/client against the test kube-apiserver', () => {
  const admin = testClient();
  let namespace: string;

  before(async () => {
    await installGitOpsCrds(testCluster());
    namespace = await freshNamespace('client', admin);
  });
  after(() => admin.close());

  it('applies a Flux Kustomization and writes its status through the status subresource', async () => {
    await admin.serverSideApply(kustomization(namespace), apply);
    const ref = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace, name: 'apps' };
    const status = { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied', lastTransitionTime: '2026-01-01T00:00:00Z' }] };
    await admin.mergePatch(ref, { status }, { subresource: 'status' });
    const live = await admin.get(ref);
    assert.deepEqual((live?.status as { conditions: unknown[] }).conditions, status.conditions);
    assert.equal((live?.spec as { path: string }).path, './apps');
  });

  it('puts namespaced objects that name no namespace into the context\'s namespace', async () => {
    const applied = await admin.serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'no-namespace-given' }, data: { a: '1' } }, { ...apply, dryRun: true });
    assert.equal(applied.metadata.namespace, admin.defaultNamespace);
  });

  it('deletes with a dry run first, then for real, and says false once the object is gone', async () => {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'to-delete' };
    await admin.serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'to-delete', namespace } }, apply);
    assert.equal(await admin.delete(ref, { dryRun: true }), true);
    assert.ok(await admin.get(ref), 'a dry-run delete keeps the object');
    assert.equal(await admin.delete(ref), true);
    assert.equal(await admin.get(ref), undefined);
    assert.equal(await admin.delete(ref), false);
  });

  it('watches a kind from a list\'s resourceVersion and sees every later change', async () => {
    const { resourceVersion } = await admin.list('v1', 'ConfigMap', { namespace });
    const events: string[] = [];
    let sawDeletion: () => void = () => {};
    const deleted = new Promise<void>((resolve) => { sawDeletion = resolve; });
    const watch = await admin.watch('v1', 'ConfigMap', { namespace, resourceVersion }, (event: WatchEvent) => {
      events.push(`${event.type} ${event.object.metadata.name}`);
      if (event.type === 'DELETED') sawDeletion();
    });
    try {
      await admin.serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace }, data: { v: '1' } }, apply);
      await admin.serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace }, data: { v: '2' } }, apply);
      await admin.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'watched' });
      await deleted;
    } finally {
      watch.stop();
      await watch.done;
    }
    assert.deepEqual(events, ['ADDED watched', 'MODIFIED watched', 'DELETED watched']);
  });

  it('keeps answering LISTs while more watches are open than its pool has connections', async () => {
    const watches = await Promise.all(Array.from({ length: 24 }, () => admin.watch('v1', 'ConfigMap', { namespace }, () => {})));
    try {
      const { items } = await admin.list('v1', 'ConfigMap', { namespace });
      assert.ok(Array.isArray(items));
    } finally {
      for (const watch of watches) watch.stop();
      await Promise.all(watches.map((watch) => watch.done));
    }
  });

  it('refuses a watch the user may not make when it starts, not later', async () => {
    const limited = testClient({ limited: true });
    try {
      const error = await rejectionOf(limited.watch('v1', 'ConfigMap', { namespace }, () => {}));
      assert.equal(error.reason, 'Forbidden');
      assert.match(error.message, new RegExp(`may not watch ConfigMap in namespace ${namespace}`));
    } finally {
      limited.close();
    }
  });

  it('reports Invalid with the server\'s reason for a Service port without protocol (a 1.20 server-side apply limit)', async () => {
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace }, spec: { ports: [{ port: 80 }] } };
    const error = await rejectionOf(admin.serverSideApply(service, { ...apply, dryRun: true }));
    assert.equal(error.reason, 'Invalid');
    assert.match(error.message, new RegExp(`^Invalid: the server refused Service/${namespace}/web .*omits key field "protocol"`));
  });

  it('reports Invalid naming the field for a field newer than the server', async () => {
    const statefulSet: KubeObject = {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace },
      spec: {
        serviceName: 'db', minReadySeconds: 5, selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
      },
    };
    const error = await rejectionOf(admin.serverSideApply(statefulSet, { ...apply, dryRun: true }));
    assert.equal(error.reason, 'Invalid');
    assert.match(error.message, /\.spec\.minReadySeconds: field not declared in schema/);
  });

  it('reports NotFound naming the object when patching one that does not exist', async () => {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'absent' };
    const error = await rejectionOf(admin.mergePatch(ref, { data: { a: '1' } }));
    assert.equal(error.reason, 'NotFound');
    assert.match(error.message, new RegExp(`^NotFound: ConfigMap/${namespace}/absent \\(context "admin"\\)`));
  });
});
