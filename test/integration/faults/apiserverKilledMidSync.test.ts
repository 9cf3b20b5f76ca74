// Fault: kube-apiserver killed (SIGKILL, as a crash) in the middle of `driftline sync --yes`, between two
// applies. The sync's message lists what it applied and what it did not; once the server is back, running the
// same sync again applies the rest and the app is Synced. Against the fault suite's own cluster.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { runSync } from '../../../src/cli/sync';
import { ClusterClient } from '../../../src/core/cluster/client';
import { loadKubeConfig } from '../../../src/core/cluster/kubeconfig';
import { DriftEngine } from '../../../src/core/drift/engine';
import { freshNamespace } from '../../support/namespace';
import type { PrivateCluster } from '../../support/privateCluster';
import { runCli } from '../sync/runCli';
import { makeSyncRepo, ref, shopObjects, type SyncRepo } from '../sync/syncFixture';
import { faultCluster, faultSuite } from './faultCluster';

/** A stream that hands each line to `onLine` as it is written (synchronously, before the command goes on). */
function lineStream(onLine: (line: string) => void): Writable & { text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) onLine(line);
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

describe('faults: kube-apiserver killed in the middle of a sync', function () {
  this.timeout(120_000);
  faultSuite();
  let cluster: PrivateCluster;
  let admin: ClusterClient;
  let namespace: string;
  let repo: SyncRepo;

  before(async () => {
    cluster = await faultCluster();
    admin = ClusterClient.forContext(loadKubeConfig(cluster.info.kubeconfig), cluster.info.adminContext);
    namespace = await freshNamespace('killed-sync', admin);
    repo = makeSyncRepo({ namespace, context: cluster.info.adminContext, objects: shopObjects(namespace) });
  });

  after(() => {
    admin?.close();
    repo?.cleanup();
  });

  it('names what was applied and what was not; the same sync after the restart completes it', async () => {
    const args = ['--repo', repo.root, '--kubeconfig', cluster.info.kubeconfig, '--env', 'dev', '--app', 'shop', '--yes'];
    // The third apply (in the order of the app's files: ConfigMap, Deployment, Secret, Service) is where the server dies.
    let killedAt: string | undefined;
    const stderr = lineStream((line) => {
      if (!killedAt && /^\[2\/4\] Applying Secret\//.test(line)) {
        killedAt = line;
        cluster.kill('apiserver');
      }
    });
    const stdout = lineStream(() => undefined);
    const code = await runSync(args, { stdout, stderr });
    assert.ok(killedAt, `the sync reached its third apply:\n${stderr.text()}`);
    assert.equal(code, 2, stdout.text());
    const message = stderr.text();
    assert.match(message, new RegExp(`stopped at Secret/${namespace}/shop-db after create ConfigMap/${namespace}/shop-config, create Deployment/${namespace}/shop: `));
    assert.match(message, /cluster unreachable: context "admin"/);
    assert.match(message, new RegExp(`not applied: Secret/${namespace}/shop-db, Service/${namespace}/shop\\. Running the sync again applies the rest\\.`));

    await cluster.stopped('apiserver');
    await cluster.start('apiserver');
    assert.ok(await admin.get(ref('ConfigMap', namespace, 'shop-config')), 'what the message says was applied is there');
    assert.equal(await admin.get(ref('Service', namespace, 'shop')), undefined, 'what it says was not applied is not');

    const again = await runCli(runSync, args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`^created Secret/${namespace}/shop-db\ncreated Service/${namespace}/shop\n`, 'm'));
    assert.doesNotMatch(again.stdout, /d (ConfigMap|Deployment)\//, 'the objects applied before the crash are unchanged, not applied again');
    const engine = new DriftEngine({ repoRoot: repo.root, kubeconfig: cluster.info.kubeconfig });
    try {
      const app = (await engine.status({ env: 'dev', app: 'shop' })).environments[0]?.apps[0];
      assert.equal(app?.status, 'Synced', JSON.stringify(app?.resources.map((r) => [r.kind, r.status, r.reason])));
    } finally {
      engine.close();
    }
  });
});
