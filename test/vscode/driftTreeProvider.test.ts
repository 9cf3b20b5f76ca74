// The Drift view inside a real VS Code, against the demo repo applied to the test cluster and drifted live.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DriftNode } from '../../src/vscode/driftTreeNodes';
import { environment, findNode, kubectl, labelOf, readyDriftline, statusOf, waitFor } from './support';

describe('Drift view', () => {
  it('lists the environment with its kube context and the three apps of the repo', async () => {
    const api = await readyDriftline();
    const roots = api.tree.getChildren();
    assert.deepStrictEqual(roots.map((node) => labelOf(api, node)), [environment]);
    const description = String(api.tree.getTreeItem(roots[0]).description);
    assert.match(description, /^admin · /, 'the environment row names its context');
    assert.deepStrictEqual(api.tree.getChildren(roots[0]).map((node) => labelOf(api, node)).sort(), ['guestbook', 'shop', 'web']);
  });

  it('shows the Flux app with its SOPS-encrypted Secret compared decrypted (the demo key of driftline.sops.ageKeyFile)', async () => {
    const api = await readyDriftline();
    const statuses = () => Object.fromEntries(api.tree.getChildren(findNode(api, environment, 'web')).map((node) => [labelOf(api, node), statusOf(node)]));
    // The suite before this one put the setting back to the demo key: the engine restarts with it.
    const secretSynced = () => {
      try {
        return statuses()['Secret/web-api'] === 'Synced';
      } catch {
        return false; // the rows are being rebuilt
      }
    };
    await waitFor(secretSynced, 'Secret/web-api to compare Synced, decrypted with the demo key');
    assert.deepStrictEqual(statuses(), {
      'ConfigMap/web-config': 'OutOfSync',
      'Deployment/web': 'Synced',
      'Secret/web-api': 'Synced',
    });
    assert.strictEqual(api.tree.getTreeItem(findNode(api, environment, 'web')).description, '1 drifted');
  });

  it('shows each drifted object of the shop app with its status and the counts on the app row', async () => {
    const api = await readyDriftline();
    const shop = findNode(api, environment, 'shop');
    const statuses = Object.fromEntries(api.tree.getChildren(shop).map((node) => [labelOf(api, node), statusOf(node)]));
    assert.deepStrictEqual(statuses, {
      'ConfigMap/shop-settings': 'OutOfSync',
      'Secret/shop-credentials': 'OutOfSync',
      'Service/shop': 'Missing',
      'ConfigMap/shop-leftover': 'Extra',
      'Deployment/shop': 'Synced',
    });
    assert.strictEqual(api.tree.getTreeItem(shop).description, '2 drifted, 1 missing, 1 extra');
  });

  it('gives each status its own icon and theme colour', async () => {
    const api = await readyDriftline();
    const icon = (...labels: string[]) => api.tree.getTreeItem(findNode(api, ...labels)).iconPath as vscode.ThemeIcon;
    assert.strictEqual(icon(environment, 'shop', 'ConfigMap/shop-settings').id, 'diff-modified');
    assert.strictEqual(icon(environment, 'shop', 'Service/shop').id, 'diff-removed');
    assert.strictEqual(icon(environment, 'shop', 'ConfigMap/shop-leftover').id, 'diff-added');
    const synced = icon(environment, 'shop', 'Deployment/shop');
    assert.strictEqual(synced.id, 'pass');
    assert.strictEqual(synced.color?.id, 'testing.iconPassed');
  });

  it('explains a row in a Markdown tooltip with its reason and the time of the last refresh', async () => {
    const api = await readyDriftline();
    const node = findNode(api, environment, 'guestbook', 'Deployment/kustomize-guestbook-ui');
    const item = api.tree.resolveTreeItem(api.tree.getTreeItem(node), node);
    const tooltip = item.tooltip as vscode.MarkdownString;
    assert.ok(tooltip instanceof vscode.MarkdownString, 'the tooltip is Markdown');
    assert.match(tooltip.value, /OutOfSync/);
    assert.match(tooltip.value, /replicas/, 'the changed path is named');
    assert.match(tooltip.value, /Last refresh: /);
  });

  it('offers Diff and Go to Source on a drifted resource and Set Context on the environment (contextValue)', async () => {
    const api = await readyDriftline();
    assert.strictEqual(api.tree.getTreeItem(findNode(api, environment)).contextValue, 'environment');
    assert.match(api.tree.getTreeItem(findNode(api, environment, 'shop', 'ConfigMap/shop-settings')).contextValue ?? '', /^resource:OutOfSync:source/);
    assert.match(api.tree.getTreeItem(findNode(api, environment, 'shop', 'Secret/shop-credentials')).contextValue ?? '', /:secret$/);
    assert.doesNotMatch(api.tree.getTreeItem(findNode(api, environment, 'shop', 'ConfigMap/shop-leftover')).contextValue ?? '', /:source/);
  });

  it('redraws only the rows that changed when the cluster changes and Refresh runs', async () => {
    const api = await readyDriftline();
    const before = findNode(api, environment, 'guestbook', 'Deployment/kustomize-guestbook-ui');
    const fired: (DriftNode | undefined)[] = [];
    const listener = api.tree.onDidChangeTreeData((change) => fired.push(...(Array.isArray(change) ? change : [change])));
    try {
      kubectl('guestbook', 'scale', 'deployment', 'kustomize-guestbook-ui', '--replicas=1');
      await vscode.commands.executeCommand('driftline.refresh');
      const after = findNode(api, environment, 'guestbook', 'Deployment/kustomize-guestbook-ui');
      assert.strictEqual(statusOf(after), 'Synced');
      assert.strictEqual(after, before, 'the row keeps its node');
      assert.ok(fired.length > 0, 'the view was told');
      assert.ok(!fired.includes(undefined), 'the whole tree was not redrawn');
      const firedLabels = fired.map((node) => labelOf(api, node as DriftNode));
      assert.ok(!firedLabels.includes('shop'), `the unchanged shop app was not redrawn (fired: ${firedLabels.join(', ')})`);
    } finally {
      listener.dispose();
      kubectl('guestbook', 'scale', 'deployment', 'kustomize-guestbook-ui', '--replicas=3');
      await vscode.commands.executeCommand('driftline.refresh');
    }
  });

  it('refreshes by itself every driftline.refreshIntervalSeconds', async () => {
    const api = await readyDriftline();
    const configuration = () => vscode.workspace.getConfiguration('driftline');
    const status = () => statusOf(findNode(api, environment, 'guestbook', 'Deployment/kustomize-guestbook-ui'));
    // Without watches, so that only the interval can notice the change.
    await configuration().update('watchCluster', false, vscode.ConfigurationTarget.Workspace);
    await configuration().update('refreshIntervalSeconds', 1, vscode.ConfigurationTarget.Workspace);
    try {
      kubectl('guestbook', 'scale', 'deployment', 'kustomize-guestbook-ui', '--replicas=1');
      await waitFor(() => status() === 'Synced', 'a periodic refresh to see the Deployment scaled back to Git');
    } finally {
      await configuration().update('refreshIntervalSeconds', 0, vscode.ConfigurationTarget.Workspace);
      await configuration().update('watchCluster', undefined, vscode.ConfigurationTarget.Workspace);
      kubectl('guestbook', 'scale', 'deployment', 'kustomize-guestbook-ui', '--replicas=3');
      await vscode.commands.executeCommand('driftline.refresh');
    }
    assert.strictEqual(status(), 'OutOfSync');
  });

  it('refreshes by itself when a file of the repo is saved', async () => {
    const api = await readyDriftline();
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(api.session.app(environment, 'shop')!.path + '/settings.yaml'));
    const original = document.getText();
    const edit = new vscode.WorkspaceEdit();
    const line = document.getText().split('\n').findIndex((text) => text.includes('LOG_LEVEL'));
    edit.replace(document.uri, document.lineAt(line).range, document.lineAt(line).text.replace('info', 'debug'));
    try {
      await vscode.workspace.applyEdit(edit);
      await document.save();
      await waitFor(() => statusOf(findNode(api, environment, 'shop', 'ConfigMap/shop-settings')) === 'Synced',
        'ConfigMap/shop-settings to become Synced after its file matches the cluster');
    } finally {
      await vscode.workspace.fs.writeFile(document.uri, Buffer.from(original));
      await waitFor(() => statusOf(findNode(api, environment, 'shop', 'ConfigMap/shop-settings')) === 'OutOfSync',
        'ConfigMap/shop-settings to drift again after the file is restored');
    }
  });
});
