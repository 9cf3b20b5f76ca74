// Stop Refresh inside a real VS Code: with driftline.kustomizePath pointing at a kustomize that hangs, the
// refresh the setting starts is stopped by the view's Stop command within 1 s, and no kustomize process of it
// is left, and a refresh queued behind it does not start. The setting is restored afterwards and the view compares again.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DriftlineApi } from '../../src/vscode/extension';
import { assertNoneLeft, writeHangingTool, type HangingTool } from '../support/hangingTool';
import { readyDriftline, waitFor } from './support';

/**
 * Runs `work` while driftline.kustomizePath points at a kustomize that hangs, once the refresh the setting
 * starts runs it; restores the setting and waits for the view to compare again.
 */
async function withHangingKustomize(work: (api: DriftlineApi, tool: HangingTool) => Promise<void>): Promise<void> {
  const api = await readyDriftline();
  const tool = writeHangingTool('kustomize');
  const settings = vscode.workspace.getConfiguration('driftline');
  try {
    await settings.update('kustomizePath', tool.path, vscode.ConfigurationTarget.Global);
    await waitFor(() => tool.runs() >= 1, 'the refresh the setting started ran the hanging kustomize', 30_000);
    await work(api, tool);
  } finally {
    await settings.update('kustomizePath', undefined, vscode.ConfigurationTarget.Global);
    tool.remove();
  }
  await waitFor(() => api.session.state === 'ready' && !api.session.refreshing && api.session.report !== undefined, 'the view compares again');
}

describe('Stop Refresh', () => {
  it('stops a comparison whose kustomize hangs within 1 s, and leaves no kustomize process behind', async () => {
    await withHangingKustomize(async (api, tool) => {
      assert.ok(api.session.refreshing, 'the comparison is still running');
      const stoppedAt = Date.now();
      await vscode.commands.executeCommand('driftline.stopRefresh');
      await waitFor(() => !api.session.refreshing, 'the comparison stopped', 1000);
      const took = Date.now() - stoppedAt;
      assert.ok(took < 1000, `stopped ${took} ms after Stop`);
      await assertNoneLeft(tool);
      // The first comparison of the new engine was stopped: the view says so instead of "Comparing...".
      assert.equal(api.session.state, 'failed');
      assert.equal(api.session.failureMessage, 'the comparison was stopped');
    });
  });

  it('drops a refresh queued behind the stopped one (a second file event), instead of starting the same hang again, and still runs one asked for after Stop', async () => {
    await withHangingKustomize(async (api, tool) => {
      const queued = api.session.refresh();
      const runs = tool.runs();
      await vscode.commands.executeCommand('driftline.stopRefresh');
      await queued;
      assert.ok(!api.session.refreshing, 'nothing runs after Stop');
      assert.strictEqual(tool.runs(), runs, 'the queued refresh did not run kustomize again');
      await assertNoneLeft(tool);

      // A refresh asked for right after Stop, while the stopped one still winds down (as a new engine's first
      // refresh is), runs: it is not the one Stop dropped.
      const first = api.session.refresh();
      await waitFor(() => tool.runs() > runs, 'the next refresh to run kustomize');
      const dropped = api.session.refresh();
      api.session.cancel();
      const asked = api.session.refresh();
      await waitFor(() => tool.runs() > runs + 1, 'the refresh asked for after Stop to run kustomize');
      await vscode.commands.executeCommand('driftline.stopRefresh');
      await Promise.all([first, dropped, asked]);
      await assertNoneLeft(tool);
    });
  });
});
