// Stop during a branch preview (the notification's Cancel in VS Code, Ctrl-C's signal in the CLI): while a
// kustomize that hangs builds the branch, the preview rejects within 1 s of the abort with nothing of the tool
// left running, no scratch worktree left behind and the checkout as it was; the next preview runs normally.
import * as assert from 'node:assert/strict';
import { DriftEngine } from '../../../src/core/drift/engine';
import { previewRevisions } from '../../../src/core/preview/preview';
import { testCluster } from '../../support/cluster';
import { assertNoneLeft, rejectionAfter, waitUntil, writeHangingTool, type HangingTool } from '../../support/hangingTool';
import { snapshotRepo } from '../git/gitFixture';
import { appOf, branch, configMap, makeFleet, type Fleet } from './previewFixture';

describe('a branch preview stopped while kustomize hangs', function () {
  this.timeout(60_000);
  let tool: HangingTool;
  let fleet: Fleet;

  before(() => {
    tool = writeHangingTool('kustomize');
    fleet = makeFleet();
    branch(fleet.repo, 'feature', { 'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'debug' }) });
  });

  after(() => {
    tool.remove();
    fleet.repo.cleanup();
  });

  it('rejects within 1 s of Stop, leaves no process, worktree or change, and the next preview runs', async () => {
    const { repo } = fleet;
    const before = snapshotRepo(repo);
    const status = repo.git('status', '--porcelain');
    const hanging = new DriftEngine({ repoRoot: repo.root, kubeconfig: testCluster().kubeconfig, renderOptions: { tools: { kustomize: tool.path } } });
    try {
      const controller = new AbortController();
      const preview = previewRevisions(hanging, { base: 'main', head: 'feature', signal: controller.signal });
      await waitUntil(() => tool.runs() > 0, 'kustomize started');
      const abortedAt = Date.now();
      controller.abort();
      const { error, ms } = await rejectionAfter(preview, abortedAt);
      assert.equal(error.name, 'AbortError', String(error));
      assert.ok(ms < 1000, `the preview rejected ${ms} ms after the abort`);
      await assertNoneLeft(tool);
    } finally {
      hanging.close();
    }
    assert.deepEqual(snapshotRepo(repo), before);
    assert.equal(repo.git('status', '--porcelain'), status);
    assert.equal(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 1, 'no scratch worktree is left');

    const engine = new DriftEngine({ repoRoot: repo.root, kubeconfig: testCluster().kubeconfig });
    try {
      const result = await previewRevisions(engine, { base: 'main', head: 'feature' });
      assert.equal(appOf(result, 'prod', 'web').change, 'changed');
      assert.equal(appOf(result, 'staging', 'web').change, 'changed');
    } finally {
      engine.close();
    }
  });
});
