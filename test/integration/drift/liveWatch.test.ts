// DriftEngine.watchLive against the real API server: it names the environment whose objects someone changed
// live, follows what the latest status listed, ignores the engine's own dry-runs and unrelated objects, and
// stops when disposed. Two environments share one namespace (so one watch stream): its events arrive in the
// order they happened, which lets a later change prove that an earlier one caused no callback.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ClusterClient } from '../../../src/core/cluster/client';
import { loadKubeConfig } from '../../../src/core/cluster/kubeconfig';
import { DriftEngine } from '../../../src/core/drift/engine';
import { LiveWatch } from '../../../src/core/drift/liveWatch';
import type { ObjectRef } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { applyApps, removeRepo, writeRepo } from './driftFixture';

const configMap = (name: string, data: Record<string, string>) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: ${JSON.stringify(data)}\n`;

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('DriftEngine.watchLive', function () {
  this.timeout(60_000);
  const info = testCluster();
  const admin = testClient();
  let root: string;
  let namespace: string;
  let engine: DriftEngine;
  const log: string[] = [];
  const ref = (name: string, inNamespace = namespace): ObjectRef => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: inNamespace, name });

  before(async () => {
    namespace = await freshNamespace('livewatch');
    root = writeRepo([{ name: 'alpha', context: info.adminContext }, { name: 'beta', context: info.adminContext }], [
      { name: 'a', environments: ['alpha'], namespace, files: { 'cm.yaml': configMap('a-config', { color: 'blue' }) } },
      { name: 'b', environments: ['beta'], namespace, files: { 'cm.yaml': configMap('b-config', { color: 'green' }) } },
    ]);
    await applyApps(root, 'alpha', admin);
    await applyApps(root, 'beta', admin);
    engine = new DriftEngine({ repoRoot: root, kubeconfig: info.kubeconfig, log: (line) => log.push(line) });
  });

  /** Runs `work` with a live watch opened after a fresh status; `changed` collects the environments it names. */
  async function watching(work: (changed: string[]) => Promise<void>): Promise<void> {
    await engine.status();
    const changed: string[] = [];
    const live = engine.watchLive((environment) => changed.push(environment));
    try {
      await work(changed);
    } finally {
      live.dispose();
    }
  }

  after(() => {
    engine.close();
    admin.close();
    removeRepo(root);
  });

  it('names the environment whose object changed live, and not the one sharing its namespace', () => watching(async (changed) => {
    await admin.mergePatch(ref('a-config'), { data: { color: 'secret-red' } });
    await waitFor(() => changed.includes('alpha'), 'a callback for alpha');
    await admin.mergePatch(ref('b-config'), { data: { color: 'yellow' } });
    await waitFor(() => changed.includes('beta'), 'a callback for beta');
    assert.deepEqual(changed, ['alpha', 'beta']);
    assert.ok(!log.join('\n').includes('secret-red'), 'no object content in the log');
  }));

  it('sees no event from its own refreshes: LISTs and dry-runs store nothing', () => watching(async (changed) => {
    await admin.mergePatch(ref('a-config'), { data: { color: 'purple' } });
    await waitFor(() => changed.includes('alpha'), 'a callback for alpha');
    // This status dry-runs a-config again (its resourceVersion changed) and re-targets the watch.
    const logged = log.length;
    await engine.status();
    assert.ok(log.slice(logged).some((line) => /^alpha .* [1-9]\d* dry-runs sent/.test(line)), 'the refresh sent a dry-run');
    await admin.mergePatch(ref('b-config'), { data: { color: 'orange' } });
    await waitFor(() => changed.includes('beta'), 'a callback for beta');
    assert.deepEqual(changed, ['alpha', 'beta'], 'the dry-run before the change of b-config caused no callback');
  }));

  it('ignores objects no report shows and no app owns, and sees a new one carrying an app\'s label (an Extra)', () => watching(async (changed) => {
    await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace }, data: { x: 'y' } });
    await admin.create({
      apiVersion: 'v1', kind: 'ConfigMap', data: { x: 'y' },
      metadata: { name: 'b-leftover', namespace, labels: { 'driftline.dev/app': 'b' } },
    });
    await waitFor(() => changed.includes('beta'), 'a callback for the labelled ConfigMap');
    assert.deepEqual(changed, ['beta'], 'the unrelated ConfigMap, created first, caused no callback');
  }));

  it('follows what the latest status listed: an object Git adds in another namespace is watched after the next status', async () => {
    const other = await freshNamespace('livewatch-more');
    const file = path.join(root, 'apps/a/more.yaml');
    fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a-more, namespace: ${other}}\ndata: {k: v}\n`);
    const changed: string[] = [];
    const live = engine.watchLive((environment) => changed.push(environment));
    try {
      engine.filesChanged([file]);
      await engine.status();
      await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a-more', namespace: other }, data: { k: 'v' } });
      await waitFor(() => changed.includes('alpha'), 'a callback for the Missing object created live');
    } finally {
      live.dispose();
      fs.rmSync(file);
      engine.filesChanged([file]);
    }
  });

  it('stops calling back once disposed', async () => {
    await engine.status();
    const first: string[] = [];
    const disposed = engine.watchLive((environment) => first.push(environment));
    disposed.dispose();
    // watching() runs a status first: it must not revive the disposed watch.
    await watching(async (second) => {
      await admin.mergePatch(ref('a-config'), { data: { color: 'black' } });
      await waitFor(() => second.includes('alpha'), 'the watch that is still open to see the change');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(first, []);
    });
  });

  it('watches what the limited context may read, and skips what it may not without failing', async () => {
    const name = `livewatch-${Date.now().toString(36)}`;
    const limitedRoot = writeRepo([{ name: 'limited', context: info.limitedContext }], [
      { name: 'readable', environments: ['limited'], namespace: info.limitedNamespace, files: { 'cm.yaml': configMap(name, { v: '1' }) } },
      { name: 'forbidden', environments: ['limited'], namespace, files: { 'cm.yaml': configMap('a-config', { color: 'blue' }) } },
    ]);
    const limitedLog: string[] = [];
    const limited = new DriftEngine({ repoRoot: limitedRoot, kubeconfig: info.kubeconfig, log: (line) => limitedLog.push(line) });
    const changed: string[] = [];
    try {
      await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: info.limitedNamespace }, data: { v: '1' } });
      const report = await limited.status();
      assert.equal(report.environments[0].apps.find((app) => app.name === 'forbidden')?.status, 'Unknown');
      const live = limited.watchLive((environment) => changed.push(environment));
      try {
        await admin.mergePatch(ref(name, info.limitedNamespace), { data: { v: '2' } });
        await waitFor(() => changed.includes('limited'), 'a callback for the namespace the limited user may read');
      } finally {
        live.dispose();
      }
    } finally {
      limited.close();
      removeRepo(limitedRoot);
      await admin.delete(ref(name, info.limitedNamespace));
    }
  });

  it('skips a list the server refuses to let it watch, logging it once, and keeps watching the others', async () => {
    const limitedClient = testClient({ limited: true });
    const lines: string[] = [];
    const changed: string[] = [];
    const { resourceVersion } = await admin.list('v1', 'ConfigMap', { namespace });
    const { resourceVersion: readableVersion } = await admin.list('v1', 'ConfigMap', { namespace: info.limitedNamespace });
    const watch = new LiveWatch({ clientFor: () => limitedClient, onChange: (environment) => changed.push(environment), log: (line) => lines.push(line) });
    const name = `refused-${Date.now().toString(36)}`;
    const target = {
      environment: 'limited', context: info.limitedContext, ownerKeys: new Set<string>(),
      lists: [
        { apiVersion: 'v1', kind: 'ConfigMap', namespace, resourceVersion },
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: info.limitedNamespace, resourceVersion: readableVersion },
      ],
      names: new Map([[`v1\u0000ConfigMap\u0000${info.limitedNamespace}`, new Set([name])]]),
    };
    try {
      watch.retarget([target]);
      await waitFor(() => lines.some((line) => line.includes('Forbidden')), 'the refusal to be logged');
      watch.retarget([target]);
      await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: info.limitedNamespace }, data: { v: '1' } });
      await waitFor(() => changed.includes('limited'), 'a callback from the list it may watch');
      assert.equal(lines.filter((line) => line.includes('Forbidden')).length, 1, lines.join('\n'));
      assert.match(lines.find((line) => line.includes('Forbidden')) ?? '', new RegExp(`may not watch ConfigMap in namespace ${namespace}`));
    } finally {
      watch.dispose();
      limitedClient.close();
      await admin.delete(ref(name, info.limitedNamespace));
    }
  });

  it('reconnects a watch whose connection dropped and still sees a change made while it was away', async () => {
    // A TCP relay to the real API server whose connections the test cuts, as a flaky network would.
    const connections = new Set<net.Socket>();
    const port = Number(new URL(info.server).port);
    const relay = net.createServer((client) => {
      const upstream = net.connect(port, '127.0.0.1');
      for (const socket of [client, upstream]) {
        connections.add(socket);
        socket.on('close', () => connections.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayed = path.join(root, 'relayed-kubeconfig');
    fs.writeFileSync(relayed, fs.readFileSync(info.kubeconfig, 'utf8').split(info.server).join(`https://127.0.0.1:${(relay.address() as net.AddressInfo).port}`));
    const client = ClusterClient.forContext(loadKubeConfig(relayed), info.adminContext);
    const lines: string[] = [];
    const changed: string[] = [];
    const watch = new LiveWatch({ clientFor: () => client, onChange: (environment) => changed.push(environment), log: (line) => lines.push(line), backoffMs: 50 });
    try {
      const { resourceVersion } = await admin.list('v1', 'ConfigMap', { namespace });
      watch.retarget([{
        environment: 'alpha', context: info.adminContext, ownerKeys: new Set(),
        lists: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace, resourceVersion }], names: new Map([[`v1\u0000ConfigMap\u0000${namespace}`, new Set(['a-config'])]]),
      }]);
      await admin.mergePatch(ref('a-config'), { data: { color: 'grey' } });
      await waitFor(() => changed.length > 0, 'a callback through the relay');
      for (const socket of connections) socket.destroy();
      await admin.mergePatch(ref('a-config'), { data: { color: 'silver' } });
      await waitFor(() => changed.length > 1, 'a callback after the watch reconnected');
      assert.deepEqual(changed, ['alpha', 'alpha']);
    } finally {
      watch.dispose();
      client.close();
      for (const socket of connections) socket.destroy();
      relay.close();
    }
  });

  it('watches no more lists than its limit, and says so', async () => {
    const lines: string[] = [];
    const unwatched: number[] = [];
    const watch = new LiveWatch({
      clientFor: () => admin, onChange: () => {}, maxWatches: 1, log: (line) => lines.push(line), onUnwatched: (count) => unwatched.push(count),
    });
    const { resourceVersion } = await admin.list('v1', 'ConfigMap', { namespace });
    try {
      watch.retarget([{
        environment: 'alpha', context: info.adminContext, ownerKeys: new Set(), names: new Map(),
        lists: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace, resourceVersion }, { apiVersion: 'v1', kind: 'Secret', namespace, resourceVersion }],
      }]);
      assert.deepEqual(lines, ['live watch: watching 1 of 2 lists (limit 1): changes to the others show at the next refresh']);
      assert.deepEqual(unwatched, [1]);
    } finally {
      watch.dispose();
    }
  });
});
