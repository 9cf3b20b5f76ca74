// A sync plan puts an object without metadata.namespace in the app's namespace, which needs the server to say
// whether its kind is namespaced. When the server cannot say (the discovery request fails: here its connection
// is cut by a TCP proxy on loopback, the way a network blip would), the object is blocked with the cluster's
// message; it is never planned as if the kind were unknown, which would put it in the context's default
// namespace once the next request gets through, and its kind never makes the search for prune candidates
// cover every namespace (where another repo's app of the same name lives). A kind the server does not serve is
// still "no such kind".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ClusterClient } from '../../../src/core/cluster/client';
import { loadKubeConfig } from '../../../src/core/cluster/kubeconfig';
import type { AppDefinition, DesiredObject } from '../../../src/core/model';
import { planSync } from '../../../src/core/sync';
import { withTracking } from '../../../src/core/sync/tracking';
import { DRIFTLINE_FIELD_MANAGER } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { waitUntil } from '../../support/hangingTool';
import { freshNamespace } from '../../support/namespace';
import { startTcpProxy, type TcpProxy } from '../../support/tcpProxy';

interface KubeconfigFile {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

describe('sync plan: namespaces of objects that name none', function () {
  this.timeout(60_000);
  let proxy: TcpProxy;
  let dir: string;
  let client: ClusterClient;
  let namespace: string;
  /** Another repo's app of the same name, in a namespace of its own: never a prune candidate of ours. */
  let elsewhere: string;
  let app: AppDefinition;
  const environment = { name: 'dev', context: 'proxied', protected: false };
  const configMap = (name: string): DesiredObject => ({
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } }, source: { file: '/repo/web/config.yaml' },
  });

  before(async () => {
    const info = testCluster();
    namespace = await freshNamespace('resolve-ns');
    elsewhere = await freshNamespace('resolve-ns-other');
    await testClient().serverSideApply(withTracking({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: elsewhere }, data: {} }, { name: 'web', environment: 'dev' }),
      { dryRun: false, fieldManager: DRIFTLINE_FIELD_MANAGER, force: true });
    proxy = await startTcpProxy({ port: Number(new URL(info.server).port) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-resolve-ns-'));
    const original = parse(fs.readFileSync(info.kubeconfig, 'utf8')) as KubeconfigFile;
    const admin = original.contexts.find((context) => context.name === info.adminContext)!.context;
    const file = path.join(dir, 'kubeconfig');
    fs.writeFileSync(file, stringify({
      apiVersion: 'v1', kind: 'Config',
      clusters: [{ name: 'proxied', cluster: { ...original.clusters.find((cluster) => cluster.name === admin.cluster)!.cluster, server: proxy.url } }],
      users: [{ name: 'admin', user: original.users.find((user) => user.name === admin.user)!.user }],
      contexts: [{ name: 'proxied', context: { cluster: 'proxied', user: 'admin', namespace: 'default' } }],
    }), { mode: 0o600 });
    client = ClusterClient.forContext(loadKubeConfig(file), 'proxied');
    app = { name: 'web', environment: 'dev', renderer: 'yaml', path: '/repo/web', origin: 'config', declaredAt: { file: '/repo/.driftline.yaml' }, namespace };
  });

  after(async () => {
    client?.close();
    await proxy?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('blocks the object with the cluster\'s message when discovery fails, instead of planning it in the default namespace', async () => {
    proxy.stall();
    const planned = planSync({ client, app, environment, desired: [configMap('web-config')] });
    // The discovery request is the plan's first: once its bytes are held, the connection is cut and the network is back.
    await waitUntil(() => proxy.heldBytes() > 0, 'the discovery request reaches the proxy');
    proxy.cut();
    proxy.resume();
    const plan = await planned;
    assert.deepEqual(plan.changes.map((change) => `${change.action} ${change.ref.namespace}/${change.ref.name}`), [], 'nothing is planned');
    assert.equal(plan.blocked.length, 1);
    assert.equal(plan.blocked[0]!.ref.name, 'web-config');
    assert.match(plan.blocked[0]!.reason, /context "proxied"/, plan.blocked[0]!.reason);
    assert.ok(!plan.changes.some((change) => change.ref.namespace === elsewhere), `nothing of namespace ${elsewhere} is pruned`);
  });

  it('plans the object in the app\'s namespace when discovery answers', async () => {
    const plan = await planSync({ client, app, environment, desired: [configMap('web-config')] });
    assert.deepEqual(plan.changes.map((change) => `${change.action} ${change.ref.namespace}/${change.ref.name}`), [`create ${namespace}/web-config`]);
  });

  it('still calls a kind the server does not serve "no such kind"', async () => {
    const widget: DesiredObject = { object: { apiVersion: 'widgets.example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, source: { file: '/repo/web/widget.yaml' } };
    const plan = await planSync({ client, app, environment, desired: [widget] });
    assert.equal(plan.blocked.length, 1);
    assert.match(plan.blocked[0]!.reason, /^NoSuchKind: .* has no kind Widget in widgets\.example\.com\/v1/);
  });
});
