// A kustomize that hangs, against the test cluster: the render timeout kills it and the app reports Unknown
// with the reason (naming the app and its folder) while the other apps compare; Stop during such a render
// returns within 1 s with nothing left running, and the next status compares normally.
import * as assert from 'node:assert/strict';
import path from 'node:path';
import { DriftEngine } from '../../../src/core/drift/engine';
import { testClient, testCluster } from '../../support/cluster';
import { assertNoneLeft, rejectionAfter, waitUntil, writeHangingTool, type HangingTool } from '../../support/hangingTool';
import { freshNamespace } from '../../support/namespace';
import { appOf, applyApps, removeRepo, writeRepo } from './driftFixture';

describe('a kustomize that hangs (test cluster)', function () {
  this.timeout(60_000);
  const info = testCluster();
  let tool: HangingTool;
  let root: string;
  let hangPath: string;

  before(async () => {
    const namespace = await freshNamespace('hanging-render');
    tool = writeHangingTool('kustomize');
    // `web` (plain YAML, no kustomize) in environment test; `hang` (a kustomization, built by the hanging tool)
    // alone in environment slow, same cluster, so that applying test's apps never runs it.
    root = writeRepo([{ name: 'test', context: info.adminContext }, { name: 'slow', context: info.adminContext }], [
      { name: 'web', environments: ['test'], namespace, files: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: b}\n' } },
      {
        name: 'hang', environments: ['slow'], namespace, files: {
          'kustomization.yaml': 'resources: [cm.yaml]\n', 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hang}\ndata: {a: b}\n',
        },
      },
    ], { tools: { kustomize: tool.path } });
    hangPath = path.join(root, 'apps', 'hang');
    await applyApps(root, 'test', testClient());
  });

  after(() => {
    tool.remove();
    removeRepo(root);
  });

  it('the timeout kills it, and the app is Unknown saying kustomize did not finish in time, naming the app and its folder', async () => {
    const engine = new DriftEngine({ repoRoot: root, kubeconfig: info.kubeconfig, renderOptions: { timeoutMs: 1000 } });
    try {
      const startedAt = Date.now();
      const report = await engine.status();
      const took = Date.now() - startedAt;
      assert.ok(took < 10_000, `status took ${took} ms with a 1 s render timeout`);
      const hang = appOf(report, 'slow', 'hang');
      assert.equal(hang.status, 'Unknown');
      assert.equal(hang.reason, `slow/hang (${hangPath}): kustomize did not finish within 1 s and was stopped`);
      assert.equal(appOf(report, 'test', 'web').status, 'Synced', 'the other apps still compare');
      assert.equal(tool.runs(), 1);
      await assertNoneLeft(tool);
    } finally {
      engine.close();
    }
  });

  it('Stop returns within 1 s, leaves no process, and the next status compares again', async () => {
    const engine = new DriftEngine({ repoRoot: root, kubeconfig: info.kubeconfig, renderOptions: { timeoutMs: 1500 } });
    try {
      const before = tool.runs();
      const controller = new AbortController();
      const status = engine.status({}, controller.signal);
      await waitUntil(() => tool.runs() === before + 1, 'kustomize started');
      const abortedAt = Date.now();
      controller.abort();
      const { error, ms } = await rejectionAfter(status, abortedAt);
      assert.equal(error.name, 'AbortError', String(error));
      assert.ok(ms < 1000, `status rejected ${ms} ms after the abort`);
      await assertNoneLeft(tool);
      // Nothing of the stopped status is kept: the next one renders again (and times out), the rest compares.
      const report = await engine.status();
      assert.match(appOf(report, 'slow', 'hang').reason ?? '', /kustomize did not finish within 1\.5 s/);
      assert.equal(appOf(report, 'test', 'web').status, 'Synced');
      assert.equal(tool.runs(), before + 2);
      await assertNoneLeft(tool);
    } finally {
      engine.close();
    }
  });
});
