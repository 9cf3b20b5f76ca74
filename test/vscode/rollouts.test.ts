// Promote on an Argo Rollouts Rollout row, inside a real VS Code against the real Rollout CRD (shared/crds; no
// controller runs: the test writes status as the rollouts controller does). A Rollout paused at a step is added
// to the demo repo's shop app for this suite and removed afterwards.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import type { DriftNode } from '../../src/vscode/driftTreeNodes';
import { applyPausedRollout, installRolloutCrds, pausedRollout } from '../support/pausedRollout';
import { describeWithShared } from '../support/shared';
import { clusterInfo, environment, findNode, namespaceOf, readyDriftline, repoFile, waitFor, withDialogs } from './support';

const FILE = 'environments/dev/shop/rollout.yaml';

function kubectl(...args: string[]): string {
  const cluster = clusterInfo();
  return execFileSync('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', cluster.adminContext, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

describeWithShared('crds', 'Argo Rollouts: Promote from the Drift view', () => {
  const namespace = () => namespaceOf('shop');
  const live = (jsonpath: string) => kubectl('-n', namespace(), 'get', 'rollouts.argoproj.io', 'shop-canary', '-o', `jsonpath=${jsonpath}`);
  const rolloutRow = async (): Promise<DriftNode> => {
    const api = await readyDriftline();
    const row = api.tree.getChildren(findNode(api, environment, 'shop')).find((node) => node.kind === 'resource' && node.result.kind === 'Rollout');
    if (!row) throw new Error('no Rollout row under shop');
    return row;
  };

  before(async () => {
    await installRolloutCrds(kubectl);
    fs.writeFileSync(repoFile(FILE), stringify(pausedRollout(namespace(), 'shop', environment)));
    applyPausedRollout(kubectl, namespace(), repoFile(FILE));
    const api = await readyDriftline();
    await api.session.refresh({ environment, app: 'shop' });
    await waitFor(() => api.tree.getChildren(findNode(api, environment, 'shop')).some((node) => node.kind === 'resource' && node.result.kind === 'Rollout'), 'the Rollout row');
  });

  after(async () => {
    if (!fs.existsSync(repoFile(FILE))) return; // skipped without shared/crds: nothing was set up
    fs.rmSync(repoFile(FILE), { force: true });
    kubectl('-n', namespace(), 'delete', 'rollouts.argoproj.io', 'shop-canary', '--ignore-not-found');
    await (await readyDriftline()).session.refresh({ environment, app: 'shop' });
  });

  it('shows the Rollout Synced and Paused at its step, with the Rollout commands on its row', async () => {
    const api = await readyDriftline();
    const row = await rolloutRow();
    const item = api.tree.getTreeItem(row);
    assert.strictEqual(item.description, `Synced · Paused · step 2/4 · weight 25% · ${namespace()}`);
    assert.match(item.contextValue ?? '', /^resource:Synced:source:rollout$/);
    // The tooltip is made on hover.
    const tooltip = api.tree.resolveTreeItem(item, row).tooltip as vscode.MarkdownString;
    // appendText escapes the message for markdown (spaces as &nbsp;, punctuation with a backslash).
    const text = tooltip.value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(text, /paused by the controller \(CanaryPauseStep\) since 2026-12-02T01:10:00Z: Promote continues it/);
  });

  it('Promote asks what it does, clears the pause conditions and says so; cancelling writes nothing', async () => {
    const asked: string[] = [];
    const before = live('{.metadata.resourceVersion}');
    const row = await rolloutRow();
    await withDialogs({ showWarningMessage: (message: string) => { asked.push(message); return undefined; } },
      () => vscode.commands.executeCommand('driftline.rolloutPromote', row));
    assert.match(asked.join('\n'), new RegExp(`Promote Rollout/${namespace()}/shop-canary \\(app shop in dev\\)\\?`));
    assert.strictEqual(live('{.metadata.resourceVersion}'), before, 'cancelled: nothing written');

    const messages: string[] = [];
    await withDialogs({
      showWarningMessage: () => 'Promote',
      showInformationMessage: (message: string) => { messages.push(message); },
    }, () => vscode.commands.executeCommand('driftline.rolloutPromote', row));
    assert.strictEqual(live('{.status.pauseConditions}'), '');
    assert.strictEqual(live('{.status.currentStepIndex}'), '1', 'the controller moves to the next step, not the command');
    assert.match(messages.join('\n'), new RegExp(`promoted Rollout/${namespace()}/shop-canary: the controller goes on with the next step`));
  });
});
