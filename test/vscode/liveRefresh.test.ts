// The Drift view follows the cluster by itself (driftline.watchCluster, on by default): objects changed live
// with kubectl show their new status without anyone running Refresh.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { environment, findNode, kubectl, labelOf, readyDriftline, statusOf, waitFor } from './support';

const setLogLevel = (value: string) =>
  kubectl('shop', 'patch', 'configmap', 'shop-settings', '--type=merge', '-p', JSON.stringify({ data: { LOG_LEVEL: value } }));

describe('Live refresh', () => {
  it('shows a ConfigMap changed live with kubectl as OutOfSync, and Synced once restored, without a Refresh', async () => {
    const api = await readyDriftline();
    const status = () => statusOf(findNode(api, environment, 'shop', 'ConfigMap/shop-settings'));
    try {
      setLogLevel('info'); // Git's value: the demo's drift undone
      await waitFor(() => status() === 'Synced', 'ConfigMap/shop-settings to show Synced after it matches Git live');
      setLogLevel('warn');
      await waitFor(() => status() === 'OutOfSync', 'ConfigMap/shop-settings to show OutOfSync after a live change');
      setLogLevel('info');
      await waitFor(() => status() === 'Synced', 'ConfigMap/shop-settings to show Synced after it was restored live');
    } finally {
      setLogLevel('debug'); // the demo's drift, as the other suites expect it
      await waitFor(() => status() === 'OutOfSync', 'ConfigMap/shop-settings to drift again');
    }
  });

  it('lists a ConfigMap created live with the app\'s label as Extra, and drops it once deleted, without a Refresh', async () => {
    const api = await readyDriftline();
    const rows = () => api.tree.getChildren(findNode(api, environment, 'shop')).map((node) => labelOf(api, node));
    try {
      kubectl('shop', 'create', 'configmap', 'shop-created-live', '--from-literal=note=by hand');
      kubectl('shop', 'label', 'configmap', 'shop-created-live', 'driftline.dev/app=shop');
      await waitFor(() => rows().includes('ConfigMap/shop-created-live'), 'the labelled ConfigMap to show up');
      assert.strictEqual(statusOf(findNode(api, environment, 'shop', 'ConfigMap/shop-created-live')), 'Extra');
    } finally {
      kubectl('shop', 'delete', 'configmap', 'shop-created-live', '--ignore-not-found');
      await waitFor(() => !rows().includes('ConfigMap/shop-created-live'), 'the deleted ConfigMap to leave the view');
    }
  });

  it('warns in the Driftline log when driftline.maxClusterWatches leaves kinds and namespaces unwatched', async () => {
    const api = await readyDriftline();
    const logFile = path.join(api.extensionContext.logUri.fsPath, 'Driftline.log');
    const read = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
    await vscode.workspace.getConfiguration('driftline').update('maxClusterWatches', 1, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(() => /\d+ kind\(s\)\/namespace\(s\) are not watched \(driftline.maxClusterWatches is 1\)/.test(read()), `the warning in ${logFile}`);
    } finally {
      await vscode.workspace.getConfiguration('driftline').update('maxClusterWatches', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
