// Fault: a slow or stalling API. One environment reaches the fault suite's kube-apiserver through a TCP proxy
// on loopback (which adds latency, or holds every byte, or stops halfway through an answer); another
// environment of the same repo reaches it directly. Request timeouts are honoured, Stop (an aborted status,
// plan or sync) returns within 1 s with the stalled request's connection closed, and the healthy environment
// keeps comparing and watching meanwhile.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ClusterClient } from '../../../src/core/cluster/client';
import { loadKubeConfig } from '../../../src/core/cluster/kubeconfig';
import { DriftEngine } from '../../../src/core/drift/engine';
import type { ObjectRef } from '../../../src/core/model';
import { applySyncPlan, prepareSync, type SyncPlan } from '../../../src/core/sync';
import { Workspace } from '../../../src/core/workspace';
import { rejectionAfter } from '../../support/hangingTool';
import { freshNamespace } from '../../support/namespace';
import type { PrivateCluster } from '../../support/privateCluster';
import { startTcpProxy, type TcpProxy } from '../../support/tcpProxy';
import { applyApps, removeRepo, writeRepo } from '../drift/driftFixture';
import { eventually, faultCluster, faultSuite } from './faultCluster';

interface KubeconfigFile {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
}

/** A kubeconfig with one context, `proxied`: the cluster's admin, through `server`. */
function proxiedKubeconfig(cluster: PrivateCluster, server: string, file: string): string {
  const original = parse(fs.readFileSync(cluster.info.kubeconfig, 'utf8')) as KubeconfigFile;
  fs.writeFileSync(file, stringify({
    apiVersion: 'v1', kind: 'Config',
    clusters: [{ name: 'proxied', cluster: { ...original.clusters[0]!.cluster, server } }],
    users: [{ name: 'proxied-admin', user: original.users.find((user) => user.name === 'admin')!.user }],
    contexts: [{ name: 'proxied', context: { cluster: 'proxied', user: 'proxied-admin', namespace: 'default' } }],
  }), { mode: 0o600 });
  return file;
}

/** Rejects when `promise` has not settled within `ms`: a hang fails the test instead of stalling it. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms); });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

describe('faults: a slow or stalling API (a TCP proxy on loopback)', function () {
  this.timeout(120_000);
  faultSuite();
  let cluster: PrivateCluster;
  let admin: ClusterClient;
  let proxy: TcpProxy;
  let namespace: string;
  let root: string;
  let kubeconfig: string;
  const config = (): ObjectRef => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'web-config' });
  const envOf = (report: Awaited<ReturnType<DriftEngine['status']>>, name: string) => report.environments.find((environment) => environment.name === name);

  before(async () => {
    cluster = await faultCluster();
    admin = ClusterClient.forContext(loadKubeConfig(cluster.info.kubeconfig), cluster.info.adminContext);
    namespace = await freshNamespace('slow-api', admin);
    root = writeRepo([{ name: 'stalled', context: 'proxied' }, { name: 'healthy', context: cluster.info.adminContext }], [{
      name: 'web', environments: ['stalled', 'healthy'], namespace,
      files: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {color: blue}\n' },
    }]);
    await applyApps(root, 'healthy', admin);
    proxy = await startTcpProxy({ port: Number(new URL(cluster.info.server).port) });
    kubeconfig = `${cluster.info.kubeconfig}${path.delimiter}${proxiedKubeconfig(cluster, proxy.url, path.join(root, 'proxied-kubeconfig'))}`;
  });

  afterEach(() => {
    proxy.resume();
    proxy.setLatency(0);
    proxy.cut();
  });

  after(async () => {
    admin?.close();
    await proxy?.close();
    if (root) removeRepo(root);
  });

  it('with 150 ms added to every packet, both environments still compare, Synced', async () => {
    proxy.setLatency(150);
    const engine = new DriftEngine({ repoRoot: root, kubeconfig });
    try {
      const report = await engine.status();
      assert.equal(envOf(report, 'stalled')?.reason, undefined);
      assert.equal(envOf(report, 'stalled')?.apps[0]?.status, 'Synced');
      assert.equal(envOf(report, 'healthy')?.apps[0]?.status, 'Synced');
    } finally {
      engine.close();
    }
  });

  it('a server that stops answering: the request timeout is honoured, the environment names it, the other one is compared', async () => {
    const engine = new DriftEngine({ repoRoot: root, kubeconfig, clusterTimeouts: { timeoutMs: 2_000, connectTimeoutMs: 1_000 } });
    try {
      await engine.status(); // connections kept alive, discovery cached: the stall hits the LISTs themselves
      proxy.stall();
      const started = Date.now();
      const report = await within(engine.status(), 15_000, 'status with a stalled server');
      const elapsed = Date.now() - started;
      assert.match(envOf(report, 'stalled')?.reason ?? '', /cluster unreachable: context "proxied" at https:\/\/127\.0\.0\.1:\d+: (no answer within 2 s|could not connect within 1 s)/);
      assert.equal(envOf(report, 'stalled')?.apps[0]?.status, 'Unknown');
      assert.equal(envOf(report, 'healthy')?.apps[0]?.status, 'Synced');
      assert.ok(elapsed < 6_000, `the 2 s limit held (status took ${elapsed} ms)`);
    } finally {
      engine.close();
    }
  });

  it('a server that stops halfway through a big answer: the request fails at its timeout instead of waiting forever', async () => {
    const big = await freshNamespace('slow-api-big', admin);
    const value = 'x'.repeat(10_000);
    for (let index = 0; index < 40; index++) {
      await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `big-${index}`, namespace: big }, data: { value } });
    }
    const client = ClusterClient.forContext(loadKubeConfig(kubeconfig), 'proxied', { timeoutMs: 2_000 });
    try {
      assert.ok(await client.resourceFor('v1', 'ConfigMap'), 'discovery answered before the stall');
      // The answer (400 kB) starts arriving, headers included; then the rest is held.
      proxy.stallAfter(48 * 1024);
      const started = Date.now();
      const { error, ms } = await within(rejectionAfter(client.list('v1', 'ConfigMap', { namespace: big }), started), 10_000, 'a LIST whose answer stalls');
      assert.match(error.message, /cluster unreachable: context "proxied" .*the answer did not finish within 2 s/);
      assert.ok(ms < 4_000, `failed at its 2 s limit (after ${ms} ms)`);
      await eventually(() => proxy.heldBytes() === 0, 'the stalled answer\'s connection is closed', 1_000);
    } finally {
      client.close();
    }
  });

  it('Stop of a status stalled on a LIST returns within 1 s, closes the stalled connection, and the other environment keeps comparing and watching', async () => {
    const engine = new DriftEngine({ repoRoot: root, kubeconfig });
    const changed: string[] = [];
    try {
      await engine.status(); // warm: the next LISTs go out on kept-alive connections, with no connect timeout
      proxy.stall();
      const stop = new AbortController();
      const stalled = engine.status({ env: 'stalled' }, stop.signal);
      await eventually(() => proxy.heldBytes() > 0, 'a request of the stalled environment is held by the proxy', 10_000);
      const watching = engine.watchLive((environment) => changed.push(environment));
      try {
        // Meanwhile the healthy environment is compared, and its watch sees a live change.
        const healthy = await within(engine.status({ env: 'healthy' }), 10_000, 'status of the healthy environment');
        assert.equal(healthy.environments[0]?.apps[0]?.status, 'Synced');
        await admin.mergePatch(config(), { data: { color: 'changed-while-the-other-stalls' } });
        await eventually(() => changed.includes('healthy'), 'the healthy environment\'s watch sees the change');
        await admin.mergePatch(config(), { data: { color: 'blue' } });
      } finally {
        watching.dispose();
      }
      const started = Date.now();
      stop.abort();
      const { error, ms } = await within(rejectionAfter(stalled, started), 10_000, 'the stopped status');
      assert.equal(error.name, 'AbortError', error.message);
      assert.ok(ms < 1_000, `Stop returned in ${ms} ms`);
      await eventually(() => proxy.heldBytes() === 0, 'the stalled request\'s connection is closed, not left waiting', 1_000);
    } finally {
      engine.close();
    }
  });

  it('Cancel of a sync plan or of a sync stalled on a request returns within 1 s, and the sync writes nothing', async () => {
    const workspace = new Workspace({ repoRoot: root, kubeconfig });
    try {
      await admin.mergePatch(config(), { data: { color: 'drifted' } });
      const prepared = await prepareSync(workspace, { environment: 'stalled', app: 'web', forceConflicts: true });
      assert.equal(prepared.mode, 'direct');
      const plan = (prepared as { plan: SyncPlan }).plan;
      assert.deepEqual(plan.changes.map((change) => change.action), ['update']);
      proxy.stall();

      const stopPlan = new AbortController();
      const planning = prepareSync(workspace, { environment: 'stalled', app: 'web', forceConflicts: true, signal: stopPlan.signal });
      await eventually(() => proxy.heldBytes() > 0, 'a request of the plan is held by the proxy', 10_000);
      let started = Date.now();
      stopPlan.abort();
      const stoppedPlan = await within(rejectionAfter(planning, started), 10_000, 'the cancelled plan');
      assert.equal(stoppedPlan.error.name, 'AbortError', stoppedPlan.error.message);
      assert.ok(stoppedPlan.ms < 1_000, `Cancel of the plan returned in ${stoppedPlan.ms} ms`);

      proxy.cut();
      const stopSync = new AbortController();
      const syncing = applySyncPlan(prepared.target.client, plan, { signal: stopSync.signal, confirmation: 'stalled' });
      await eventually(() => proxy.heldBytes() > 0, 'the apply is held by the proxy', 10_000);
      started = Date.now();
      stopSync.abort();
      const stoppedSync = await within(rejectionAfter(syncing, started), 10_000, 'the cancelled sync');
      assert.equal(stoppedSync.error.name, 'AbortError', stoppedSync.error.message);
      assert.ok(stoppedSync.ms < 1_000, `Cancel of the sync returned in ${stoppedSync.ms} ms`);
      await eventually(() => proxy.heldBytes() === 0, 'the held apply\'s connection is closed, so it can never reach the server', 1_000);
      proxy.resume();
      assert.equal(((await admin.get(config()))?.data as Record<string, string> | undefined)?.color, 'drifted', 'the cancelled sync wrote nothing');
    } finally {
      workspace.close();
      await admin.mergePatch(config(), { data: { color: 'blue' } });
    }
  });
});
