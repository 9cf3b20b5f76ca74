// A cluster that cannot be read at all (unreachable, credentials refused, context missing) fails its own
// environment with a message naming the context; every other environment still renders.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import { DriftEngine } from '../../../src/core/drift/engine';
import type { StatusReport } from '../../../src/core/model';
import { runStatus } from '../../../src/cli/status';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { applyApps, appOf, removeRepo, writeRepo } from './driftFixture';
import { captureIO } from './captureIO';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('cluster-level failures', function () {
  this.timeout(60_000);
  const info = testCluster();
  let root: string;
  let kubeconfig: string;
  let report: StatusReport;
  let engine: DriftEngine;
  let extra: string;

  before(async () => {
    const namespace = await freshNamespace('failures');
    const clusterName = (fs.readFileSync(info.kubeconfig, 'utf8').match(/- name: (\S+)\n\s+cluster:/) ?? [])[1] ?? 'driftline-test';
    const environments = [
      { name: 'test', context: info.adminContext },
      { name: 'unreachable', context: 'gone' },
      { name: 'expired', context: 'expired' },
      { name: 'misconfigured', context: 'no-such-context' },
    ];
    root = writeRepo(environments, [{
      name: 'web', environments: environments.map((environment) => environment.name), namespace,
      files: { 'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {a: b}\n' },
    }]);
    // A second kubeconfig file, merged KUBECONFIG-style: a server nobody listens on, and a token the server rejects.
    extra = path.join(root, 'extra-kubeconfig');
    fs.writeFileSync(extra, stringify({
      apiVersion: 'v1', kind: 'Config',
      clusters: [{ name: 'gone', cluster: { server: `https://127.0.0.1:${await closedPort()}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'expired-user', user: { token: 'expired-token' } }],
      contexts: [
        { name: 'gone', context: { cluster: 'gone', user: 'expired-user' } },
        { name: 'expired', context: { cluster: clusterName, user: 'expired-user' } },
      ],
    }));
    kubeconfig = `${info.kubeconfig}${path.delimiter}${extra}`;
    await applyApps(root, 'test', testClient());
    engine = new DriftEngine({ repoRoot: root, kubeconfig });
    report = await engine.status();
  });

  after(() => {
    engine.close();
    removeRepo(root);
  });

  it('marks an unreachable cluster on its environment, naming the context, and lists its apps as Unknown', () => {
    const environment = report.environments.find((candidate) => candidate.name === 'unreachable');
    assert.match(environment?.reason ?? '', /cluster unreachable: context "gone"/);
    const app = appOf(report, 'unreachable', 'web');
    assert.equal(app.status, 'Unknown');
    assert.equal(app.reason, environment?.reason);
  });

  it('marks credentials the server refuses (an expired token) on their environment, naming the context', () => {
    const environment = report.environments.find((candidate) => candidate.name === 'expired');
    assert.match(environment?.reason ?? '', /Unauthorized.*context "expired"/);
  });

  it('marks a context the kubeconfig does not have, naming it and the contexts it has', () => {
    const environment = report.environments.find((candidate) => candidate.name === 'misconfigured');
    assert.match(environment?.reason ?? '', /no context "no-such-context" in kubeconfig .*"admin"/);
  });

  it('still compares the environments whose cluster answers', () => {
    const environment = report.environments.find((candidate) => candidate.name === 'test');
    assert.equal(environment?.reason, undefined);
    assert.equal(appOf(report, 'test', 'web').status, 'Synced');
  });

  it('`driftline status` prints every environment, the failures naming their contexts, and exits 2', async () => {
    const io = captureIO();
    const code = await runStatus(['--repo', root, '--kubeconfig', kubeconfig], io);
    assert.equal(code, 2);
    assert.match(io.out(), /^test\s+web\s+Synced\s+1\s+0\s+0\s+0\s+0$/m);
    assert.match(io.out(), /^unreachable\s+web\s+Unknown/m);
    assert.match(io.out(), /^unreachable: cluster unreachable: context "gone"/m);
    assert.match(io.out(), /^expired: Unauthorized/m);
  });

  it('reads kubeconfig again after a failure, so logging in anew fixes the next refresh without a restart', async () => {
    fs.writeFileSync(extra, fs.readFileSync(extra, 'utf8').replace(/name: expired\n(\s+)context:\n(\s+)cluster: (\S+)\n(\s+)user: expired-user/,
      'name: expired\n$1context:\n$2cluster: $3\n$4user: admin'));
    const again = await engine.status({ env: 'expired' });
    assert.equal(again.environments[0].reason, undefined);
    assert.equal(appOf(again, 'expired', 'web').status, 'Synced');
  });
});
