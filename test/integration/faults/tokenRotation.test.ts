// Fault: the token in the kubeconfig expires, or is rotated (a new one written into the kubeconfig file and the
// old one made invalid), while the engine watches the cluster. The watch's next connection is refused (401);
// it reads the kubeconfig again and goes on with the new token: no restart of anything. The tokens are real
// bootstrap tokens (Secrets in kube-system, with an expiry the server enforces); a TCP proxy cuts the watch's
// connection, as a network blip or the server's own watch timeout would, so that it must connect again.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ClusterClient } from '../../../src/core/cluster/client';
import { loadKubeConfig } from '../../../src/core/cluster/kubeconfig';
import { DriftEngine } from '../../../src/core/drift/engine';
import type { WatchHealth } from '../../../src/core/drift/liveWatch';
import type { ObjectRef } from '../../../src/core/model';
import { freshNamespace } from '../../support/namespace';
import type { PrivateCluster } from '../../support/privateCluster';
import { startTcpProxy, type TcpProxy } from '../../support/tcpProxy';
import { applyApps, removeRepo, writeRepo } from '../drift/driftFixture';
import { eventually, faultCluster, faultSuite, tokenKubeconfig } from './faultCluster';

const GROUP = 'system:bootstrappers:driftline-faults';

/** A bootstrap token (`<id>.<secret>`) of a user the cluster lets do anything; `expires` sets its expiry. */
async function bootstrapToken(admin: ClusterClient, expires?: Date): Promise<{ token: string; revoke(): Promise<void> }> {
  const id = crypto.randomBytes(3).toString('hex');
  const secret = crypto.randomBytes(8).toString('hex');
  const ref: ObjectRef = { apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: `bootstrap-token-${id}` };
  await admin.create({
    apiVersion: 'v1', kind: 'Secret', type: 'bootstrap.kubernetes.io/token',
    metadata: { name: ref.name, namespace: ref.namespace },
    stringData: {
      'token-id': id, 'token-secret': secret, 'usage-bootstrap-authentication': 'true', 'auth-extra-groups': GROUP,
      ...(expires ? { expiration: expires.toISOString().replace(/\.\d+Z$/, 'Z') } : {}),
    },
  });
  return { token: `${id}.${secret}`, revoke: async () => { await admin.delete(ref); } };
}

/** Whether the server accepts `token` now. */
async function accepted(cluster: PrivateCluster, token: string, file: string): Promise<boolean> {
  const client = ClusterClient.forContext(loadKubeConfig(tokenKubeconfig(cluster, { file, name: 'probe', token })), 'probe');
  try {
    await client.list('v1', 'Namespace', {});
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
}

describe('faults: a token that expires or is rotated in the kubeconfig during a watch', function () {
  this.timeout(120_000);
  faultSuite();
  let cluster: PrivateCluster;
  let admin: ClusterClient;
  let namespace: string;
  let root: string;
  let proxy: TcpProxy;
  const config = (): ObjectRef => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'web-config' });

  before(async () => {
    cluster = await faultCluster();
    admin = ClusterClient.forContext(loadKubeConfig(cluster.info.kubeconfig), cluster.info.adminContext);
    await admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `driftline-faults-${crypto.randomBytes(3).toString('hex')}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: GROUP }],
    });
    namespace = await freshNamespace('token-rotation', admin);
    root = writeRepo([{ name: 'dev', context: 'rotating' }], [{
      name: 'web', environments: ['dev'], namespace,
      files: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {color: blue}\n' },
    }]);
    await applyApps(root, 'dev', admin);
    proxy = await startTcpProxy({ port: Number(new URL(cluster.info.server).port) });
  });

  after(async () => {
    admin?.close();
    await proxy?.close();
    if (root) removeRepo(root);
  });

  /** An engine on a kubeconfig (through the proxy) holding `token`, watching after a status that the token works for. */
  async function watchingWith(token: string, work: (kubeconfig: string, changed: string[], health: WatchHealth[]) => Promise<void>): Promise<void> {
    const kubeconfig = tokenKubeconfig(cluster, { file: path.join(root, 'kubeconfig'), name: 'rotating', token, server: proxy.url });
    const engine = new DriftEngine({ repoRoot: root, kubeconfig });
    const changed: string[] = [];
    const health: WatchHealth[] = [];
    try {
      const report = await engine.status();
      assert.equal(report.environments[0]?.reason, undefined, 'the token works before the fault');
      const live = engine.watchLive((environment) => changed.push(environment), {
        backoffMs: 100, maxBackoffMs: 500, onHealth: (state) => health.push(state),
      });
      try {
        await admin.mergePatch(config(), { data: { color: `before-${Date.now()}` } });
        await eventually(() => changed.length > 0, 'the watch sees a change with the first token');
        changed.length = 0;
        await work(kubeconfig, changed, health);
      } finally {
        live.dispose();
      }
    } finally {
      engine.close();
    }
  }

  const writeToken = (kubeconfig: string, from: string, to: string) => {
    const text = fs.readFileSync(kubeconfig, 'utf8');
    assert.ok(text.includes(from));
    fs.writeFileSync(kubeconfig, text.split(from).join(to));
  };

  it('rotated: the watch reconnects with the token the kubeconfig holds now', async () => {
    const first = await bootstrapToken(admin);
    const second = await bootstrapToken(admin);
    await watchingWith(first.token, async (kubeconfig, changed, health) => {
      writeToken(kubeconfig, first.token, second.token);
      await first.revoke();
      await eventually(async () => !(await accepted(cluster, first.token, path.join(root, 'probe-kubeconfig'))), 'the old token is refused');
      proxy.cut();
      await eventually(() => health.some((state) => state.lost.length > 0), 'the watch is lost');
      await admin.mergePatch(config(), { data: { color: 'after-rotation' } });
      await eventually(() => changed.includes('dev'), 'the watch, on the new token, sees a change made after the rotation');
      await eventually(() => health[health.length - 1]!.lost.length === 0, 'the watch is back');
      assert.ok(health.some((state) => /Unauthorized/.test(state.reason ?? '')), `the old token was refused on reconnect: ${JSON.stringify(health)}`);
    });
    await second.revoke();
  });

  it('expired: the watch says it is lost (Unauthorized) and goes on by itself once a new token is in the kubeconfig', async () => {
    const expiring = await bootstrapToken(admin, new Date(Date.now() + 5_000));
    await watchingWith(expiring.token, async (kubeconfig, changed, health) => {
      await eventually(async () => !(await accepted(cluster, expiring.token, path.join(root, 'probe-kubeconfig'))), 'the token has expired', 20_000);
      proxy.cut();
      await eventually(() => health.some((state) => /Unauthorized/.test(state.reason ?? '')), 'the watch says it is lost because the token is refused');
      const renewed = await bootstrapToken(admin);
      writeToken(kubeconfig, expiring.token, renewed.token);
      await eventually(() => health[health.length - 1]!.lost.length === 0, 'the watch is back with the renewed token');
      await admin.mergePatch(config(), { data: { color: 'after-expiry' } });
      await eventually(() => changed.includes('dev'), 'a change after the renewal reaches onChange');
      await renewed.revoke();
    });
    await expiring.revoke();
  });
});
