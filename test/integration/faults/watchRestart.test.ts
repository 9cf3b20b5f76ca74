// Fault: kube-apiserver or etcd killed and started again under the engine's open live watches
// (DriftEngine.watchLive). While kube-apiserver is down the engine says which watches are lost
// (onHealth); once it is back they reconnect by themselves, say so, and a change made after the restart is
// seen. Against the fault suite's own cluster.
import assert from 'node:assert/strict';
import { ClusterClient } from '../../../src/core/cluster/client';
import { loadKubeConfig } from '../../../src/core/cluster/kubeconfig';
import { DriftEngine } from '../../../src/core/drift/engine';
import type { WatchHealth } from '../../../src/core/drift/liveWatch';
import type { ObjectRef } from '../../../src/core/model';
import { freshNamespace } from '../../support/namespace';
import type { PrivateCluster } from '../../support/privateCluster';
import { applyApps, removeRepo, writeRepo } from '../drift/driftFixture';
import { eventually, faultCluster, faultSuite } from './faultCluster';

describe('faults: etcd or kube-apiserver restarted under open watches', function () {
  this.timeout(180_000);
  faultSuite();
  let cluster: PrivateCluster;
  let admin: ClusterClient;
  let namespace: string;
  let root: string;
  let engine: DriftEngine;
  const log: string[] = [];
  const config = (): ObjectRef => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'web-config' });

  before(async () => {
    cluster = await faultCluster();
    admin = ClusterClient.forContext(loadKubeConfig(cluster.info.kubeconfig), cluster.info.adminContext);
    namespace = await freshNamespace('watch-restart', admin);
    root = writeRepo([{ name: 'dev', context: cluster.info.adminContext }], [{
      name: 'web', environments: ['dev'], namespace,
      files: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {color: blue}\n' },
    }]);
    await applyApps(root, 'dev', admin);
    engine = new DriftEngine({ repoRoot: root, kubeconfig: cluster.info.kubeconfig, log: (line) => log.push(line) });
  });

  after(() => {
    engine?.close();
    admin?.close();
    if (root) removeRepo(root);
  });

  /** A fresh status, then a watch whose callbacks the test reads; quick reconnects (at most 1 s apart). */
  async function watching(work: (changed: string[], health: WatchHealth[]) => Promise<void>): Promise<void> {
    const report = await engine.status();
    assert.equal(report.environments[0]?.reason, undefined, 'the cluster answers before the fault');
    const changed: string[] = [];
    const health: WatchHealth[] = [];
    const live = engine.watchLive((environment) => changed.push(environment), {
      backoffMs: 100, maxBackoffMs: 1000, onHealth: (state) => health.push(state),
    });
    try {
      // Proof the watch is open before the fault: it sees a change.
      await admin.mergePatch(config(), { data: { color: 'before' } });
      await eventually(() => changed.length > 0, 'the open watch sees a change before the fault');
      changed.length = 0;
      await work(changed, health);
    } finally {
      live.dispose();
    }
  }

  it('kube-apiserver killed: the engine says the watch is lost while it is down, and it reconnects by itself once it is back', () => watching(async (changed, health) => {
    cluster.kill('apiserver');
    await cluster.stopped('apiserver');
    await eventually(() => health.some((state) => state.lost.length > 0), 'the engine says the watch is lost');
    const lost = health.find((state) => state.lost.length > 0)!;
    assert.equal(lost.environment, 'dev');
    assert.equal(lost.context, 'admin');
    assert.deepEqual(lost.lost, [`ConfigMap in namespace ${namespace} (context admin)`]);
    assert.match(lost.reason ?? '', /cluster unreachable: context "admin"/);
    assert.ok(log.some((line) => line.startsWith(`live watch: watch of ConfigMap in namespace ${namespace} (context admin) lost: `) && line.endsWith('; reconnecting')), log.join('\n'));
    assert.equal(changed.length, 0, 'no change is made up while the server is down');

    await cluster.start('apiserver');
    await eventually(() => health[health.length - 1]!.lost.length === 0, 'the engine says the watch is back');
    assert.ok(log.some((line) => line === `live watch: watch of ConfigMap in namespace ${namespace} (context admin) reconnected`), log.join('\n'));
    await admin.mergePatch(config(), { data: { color: 'after-apiserver-restart' } });
    await eventually(() => changed.includes('dev'), 'a change after the restart reaches onChange');
    // Said again only when the reason changes (reset, then refused while the server is down), not per attempt.
    const outages = health.filter((state, index) => state.lost.length > 0 && !health[index - 1]?.lost.length);
    assert.equal(outages.length, 1, JSON.stringify(health));
    assert.ok(health.length <= 4, `not one report per reconnect attempt: ${JSON.stringify(health)}`);
  }));

  it('etcd killed: the watch stays open through the outage and sees a change made after etcd is back', () => watching(async (changed, health) => {
    cluster.kill('etcd');
    await cluster.stopped('etcd');
    await cluster.start('etcd');
    // kube-apiserver is ready again only once it reaches etcd; a write then goes through and is watched.
    await eventually(async () => {
      try {
        await admin.mergePatch(config(), { data: { color: 'after-etcd-restart' } });
        return true;
      } catch {
        return false;
      }
    }, 'a write succeeds after etcd is back');
    await eventually(() => changed.includes('dev'), 'a change after the etcd restart reaches onChange');
    assert.equal(health[health.length - 1]?.lost.length ?? 0, 0, `every watch the outage lost is back: ${JSON.stringify(health)}`);
  }));
});
