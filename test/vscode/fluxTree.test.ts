// The Drift view of a three-level Flux tree (test/support/fluxTreeRepo.ts, put live as kustomize-controller
// applies it): each Kustomization under the one whose build applies it, drift in the grandchild shown at every
// level above it, and the title bar's toggle to one list per environment and back.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { ClusterClient } from '../../src/core/cluster/client';
import { loadKubeConfig } from '../../src/core/cluster/kubeconfig';
import { createBackend } from '../../src/vscode/driftBackend';
import { fixedSessions } from '../../src/vscode/driftRoots';
import { DriftSession } from '../../src/vscode/driftSession';
import type { DriftNode } from '../../src/vscode/driftTreeNodes';
import { DriftTreeProvider } from '../../src/vscode/driftTreeProvider';
import { readSettings } from '../../src/vscode/settings';
import { applyFluxTreeAsFlux, writeFluxTreeRepo } from '../support/fluxTreeRepo';
import { removeTempRepos } from '../support/gitopsExamples';
import { clusterInfo, waitFor } from './support';

describe('Drift view of a Flux tree', () => {
  const cluster = clusterInfo();
  const namespace = `flux-tree-${Math.random().toString(36).slice(2, 7)}`;
  const client = ClusterClient.forContext(loadKubeConfig(cluster.kubeconfig), cluster.adminContext);
  let log: vscode.LogOutputChannel;
  let session: DriftSession;
  let tree: DriftTreeProvider;

  before(async () => {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const root = await writeFluxTreeRepo(namespace, cluster.adminContext);
    await applyFluxTreeAsFlux(root, namespace, client);
    // Someone edits the grandchild's ConfigMap with kubectl.
    await client.mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'redis-tuning' }, { data: { hz: '100' } }, { fieldManager: 'kubectl-edit' });
    log = vscode.window.createOutputChannel('Driftline Flux tree test', { log: true });
    const folder: vscode.WorkspaceFolder = { uri: vscode.Uri.file(root), name: 'fleet', index: 1 };
    session = new DriftSession(log, folder);
    tree = new DriftTreeProvider(fixedSessions(session));
    await session.reset(createBackend(folder, { ...readSettings(folder), kubeconfig: cluster.kubeconfig, contexts: {} }, log));
    assert.strictEqual(session.state, 'ready', session.failureMessage);
  });

  after(async () => {
    await vscode.commands.executeCommand('driftline.showAsTree');
    tree?.dispose();
    session?.dispose();
    log?.dispose();
    await removeTempRepos();
    await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace }).catch(() => undefined);
  });

  const label = (node: DriftNode) => String(tree.getTreeItem(node).label);
  const item = (node: DriftNode) => tree.getTreeItem(node);
  const children = (node?: DriftNode) => tree.getChildren(node);
  const row = (...labels: string[]): DriftNode => {
    let node: DriftNode | undefined;
    for (const wanted of labels) {
      node = children(node).find((child) => label(child) === wanted);
      if (!node) throw new Error(`no row ${labels.join(' / ')} (under it: ${children(node).map(label).join(', ')})`);
    }
    return node!;
  };

  it('nests each Kustomization under the one whose build applies it, and shows drift below at every level above', () => {
    assert.deepStrictEqual(children(row('dev')).map(label), ['infra']);
    assert.deepStrictEqual(children(row('dev', 'infra')).map(label), ['redis', 'ConfigMap/infra-settings', 'Kustomization/redis']);
    assert.deepStrictEqual(children(row('dev', 'infra', 'redis')).map(label), ['redis-tuning', 'ConfigMap/redis-conf', 'Kustomization/redis-tuning']);
    const grandchild = row('dev', 'infra', 'redis', 'redis-tuning');
    assert.strictEqual(item(grandchild).description, '1 drifted');
    for (const above of [row('dev', 'infra'), row('dev', 'infra', 'redis')]) {
      assert.strictEqual(item(above).description, '1 drifted', `${label(above)} says what happens below it`);
      assert.strictEqual((item(above).iconPath as vscode.ThemeIcon).id, 'diff-modified');
    }
    const parents = (node: DriftNode | undefined): string[] => (node ? [label(node), ...parents(tree.getParent(node))] : []);
    assert.deepStrictEqual(parents(row('dev', 'infra', 'redis', 'redis-tuning', 'ConfigMap/redis-tuning')), ['ConfigMap/redis-tuning', 'redis-tuning', 'redis', 'infra', 'dev']);
  });

  it('shows one list per environment after "Show Apps as List", each app with its own counts, and the tree again after "Show Apps as Tree"', async () => {
    await vscode.commands.executeCommand('driftline.showAsList');
    await waitFor(() => children(row('dev')).length === 3, 'the list layout');
    assert.deepStrictEqual(children(row('dev')).map(label).sort(), ['infra', 'redis', 'redis-tuning']);
    assert.strictEqual(item(row('dev', 'infra')).description, 'in sync');
    assert.deepStrictEqual(children(row('dev', 'infra')).map(label), ['ConfigMap/infra-settings', 'Kustomization/redis']);
    assert.strictEqual(vscode.workspace.getConfiguration('driftline').get('view.layout'), 'list');

    await vscode.commands.executeCommand('driftline.showAsTree');
    await waitFor(() => children(row('dev')).length === 1, 'the tree layout');
    assert.strictEqual(item(row('dev', 'infra')).description, '1 drifted');
  });
});
