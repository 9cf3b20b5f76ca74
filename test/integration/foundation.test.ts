// The whole stack once, against the real test kube-apiserver: our kubeconfig loading, ClusterClient and
// ClusterError, with the admin user, the read-only user, a server that is not there and a bad token.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ClusterClient } from '../../src/core/cluster/client';
import { ClusterError } from '../../src/core/cluster/errors';
import { loadKubeConfig } from '../../src/core/cluster/kubeconfig';
import type { KubeObject } from '../../src/core/model';
import { testClient, testCluster } from '../support/cluster';
import { freshNamespace } from '../support/namespace';
import { freePort } from '../support/ports';

const apply = { dryRun: false, fieldManager: 'driftline-test', force: true };

function configMap(namespace: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace }, data };
}

function deployment(namespace: string): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
    },
  };
}

/** The rejection of `promise`, which must be a ClusterError. */
async function clusterErrorOf(promise: Promise<unknown>): Promise<ClusterError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  assert.ok(error instanceof ClusterError, `expected a ClusterError, got ${String(error)}`);
  return error;
}

/** A kubeconfig like the test cluster's, with one more context whose cluster and user are rewritten. */
function writeVariantKubeconfig(dir: string, rewrite: { server?: string; token?: string }): string {
  const info = testCluster();
  const kubeconfig = loadKubeConfig(info.kubeconfig).kubeConfigFor(info.adminContext);
  const cluster = { ...kubeconfig.getCurrentCluster()!, name: 'variant', ...(rewrite.server ? { server: rewrite.server } : {}) };
  const user = rewrite.token ? { name: 'token-user', token: rewrite.token } : { ...kubeconfig.getCurrentUser()!, name: 'token-user' };
  kubeconfig.loadFromOptions({
    clusters: [cluster], users: [user], contexts: [{ name: 'variant', cluster: 'variant', user: 'token-user' }], currentContext: 'variant',
  });
  const file = path.join(dir, 'kubeconfig');
  fs.writeFileSync(file, kubeconfig.exportConfig());
  return file;
}

describe('foundation: our cluster client against the real test kube-apiserver', () => {
  const admin = testClient();
  let namespace: string;
  let scratch: string;

  before(async () => {
    namespace = await freshNamespace('foundation', admin);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-foundation-'));
  });
  after(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
    admin.close();
  });

  it('talks to kube-apiserver v1.20.2', async () => {
    const version = await admin.serverVersion();
    console.log(`      server version: ${version.gitVersion} at ${admin.server}`);
    assert.equal(version.gitVersion, 'v1.20.2');
    assert.equal(testCluster().version, 'v1.20.2');
  });

  it('server-side applies a Deployment and a ConfigMap, owned by our field manager', async () => {
    const applied = await admin.serverSideApply(deployment(namespace), apply);
    assert.equal((applied.spec as { replicas: number }).replicas, 2);
    const managers = (applied.metadata.managedFields as Array<{ manager: string }>).map((entry) => entry.manager);
    assert.deepEqual(managers, ['driftline-test']);
    await admin.serverSideApply(configMap(namespace, { mode: 'blue' }), apply);
    const live = await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'app-config' });
    assert.deepEqual(live?.data, { mode: 'blue' });
  });

  it('a server-side dry-run apply returns the changed field and leaves the live object as it was', async () => {
    await admin.serverSideApply(configMap(namespace, { mode: 'blue' }), apply);
    const predicted = await admin.serverSideApply(configMap(namespace, { mode: 'green' }), { ...apply, dryRun: true });
    assert.deepEqual(predicted.data, { mode: 'green' });
    const live = await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'app-config' });
    assert.deepEqual(live?.data, { mode: 'blue' });
  });

  it('lists a kind in a namespace with the items typed and the list resourceVersion', async () => {
    await admin.serverSideApply(configMap(namespace, { mode: 'blue' }), apply);
    const { items, resourceVersion } = await admin.list('v1', 'ConfigMap', { namespace });
    assert.deepEqual(items.map((item) => `${item.apiVersion} ${item.kind} ${item.metadata.name}`), ['v1 ConfigMap app-config']);
    assert.match(resourceVersion, /^\d+$/);
  });

  it('keeps the server\'s message, naming the other field manager, when an apply conflicts', async () => {
    await admin.serverSideApply(configMap(namespace, { mode: 'blue' }), apply);
    const error = await clusterErrorOf(admin.serverSideApply(configMap(namespace, { mode: 'red' }), { ...apply, fieldManager: 'someone-else', force: false }));
    assert.equal(error.reason, 'Conflict');
    assert.match(error.message, /driftline-test/);
    assert.match(error.message, /ConfigMap\/.*\/app-config/);
  });

  it('reports NoSuchKind for a kind the server does not serve', async () => {
    const error = await clusterErrorOf(admin.list('batch/v1', 'CronJob', { namespace }));
    assert.equal(error.reason, 'NoSuchKind');
    assert.match(error.message, /no kind CronJob in batch\/v1/);
    assert.equal(await admin.resourceFor('batch/v1', 'CronJob'), undefined);
    const deployments = await admin.resourceFor('apps/v1', 'Deployment');
    assert.equal(deployments?.plural, 'deployments');
    assert.equal(deployments?.namespaced, true);
  });

  it('turns the read-only user\'s write into Forbidden naming the object, the user and the context', async () => {
    const info = testCluster();
    const limited = testClient({ limited: true });
    try {
      const object = configMap(info.limitedNamespace, { mode: 'blue' });
      const error = await clusterErrorOf(limited.serverSideApply(object, apply));
      assert.equal(error.reason, 'Forbidden');
      assert.equal(error.user, info.limitedUser);
      assert.equal(error.context, info.limitedContext);
      assert.ok(error.message.startsWith(
        `Forbidden: user "${info.limitedUser}" (context "${info.limitedContext}") may not patch ConfigMap/${info.limitedNamespace}/app-config: `,
      ), error.message);
      // ...while reading its own namespace works.
      const { items } = await limited.list('v1', 'ConfigMap', { namespace: info.limitedNamespace });
      assert.ok(Array.isArray(items));
    } finally {
      limited.close();
    }
  });

  it('says the cluster is unreachable, naming the context and server, when nothing listens there', async () => {
    const server = `https://127.0.0.1:${await freePort()}`;
    const loaded = loadKubeConfig(writeVariantKubeconfig(scratch, { server }));
    const client = ClusterClient.forContext(loaded, 'variant', { connectTimeoutMs: 3000 });
    const error = await clusterErrorOf(client.serverVersion());
    assert.equal(error.reason, 'Unreachable');
    assert.match(error.message, new RegExp(`^cluster unreachable: context "variant" at ${server}: .*ECONNREFUSED`));
  });

  it('says the cluster is unreachable when its port accepts connections but never answers', async () => {
    const silent = net.createServer(() => {}); // accepts, then says nothing: no TLS handshake ever
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const server = `https://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    try {
      const loaded = loadKubeConfig(writeVariantKubeconfig(scratch, { server }));
      const client = ClusterClient.forContext(loaded, 'variant', { connectTimeoutMs: 500 });
      const error = await clusterErrorOf(client.serverVersion());
      assert.equal(error.reason, 'Unreachable');
      assert.equal(error.message, `cluster unreachable: context "variant" at ${server}: could not connect within 0.5 s (ETIMEDOUT)`);
    } finally {
      silent.close();
    }
  });

  it('reports Unauthorized, naming the context, for a token the server does not accept', async () => {
    const loaded = loadKubeConfig(writeVariantKubeconfig(scratch, { token: 'expired-or-made-up-token' }));
    const client = ClusterClient.forContext(loaded, 'variant');
    try {
      const error = await clusterErrorOf(client.list('v1', 'ConfigMap', { namespace }));
      assert.equal(error.reason, 'Unauthorized');
      assert.match(error.message, /^Unauthorized: .*user "token-user" \(context "variant"\)/);
    } finally {
      client.close();
    }
  });
});
