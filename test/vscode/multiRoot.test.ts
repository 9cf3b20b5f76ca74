// Two GitOps repos side by side (two workspace folders), each with environment `dev` and app `shop`, each
// compared by an engine of its own against the test cluster: the Drift view shows a root row per folder above
// its environments, rows of one never take the id of the other's, and the diff documents of a row show its
// own folder's objects. (The browser suite opens a real multi-root workspace; this one checks the rows.)
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { createBackend } from '../../src/vscode/driftBackend';
import { DriftDocumentProvider } from '../../src/vscode/driftDocumentProvider';
import { fixedSessions } from '../../src/vscode/driftRoots';
import { DriftSession } from '../../src/vscode/driftSession';
import type { DriftNode } from '../../src/vscode/driftTreeNodes';
import { DriftTreeProvider } from '../../src/vscode/driftTreeProvider';
import { LIVE_SCHEME, driftDocumentUri, resourceKey } from '../../src/vscode/driftUris';
import { readSettings } from '../../src/vscode/settings';
import { clusterInfo } from './support';

describe('Two GitOps repos in two workspace folders', () => {
  const cluster = clusterInfo();
  const suffix = Math.random().toString(36).slice(2, 7);
  const repos = ['alpha', 'beta'].map((name) => ({ name, namespace: `multi-${name}-${suffix}`, root: '' }));
  const kubectl = (args: string[], input?: string) =>
    execFileSync('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', cluster.adminContext, ...args], { input, stdio: ['pipe', 'pipe', 'pipe'] });
  let log: vscode.LogOutputChannel;
  let sessions: DriftSession[];
  let tree: DriftTreeProvider;
  let live: DriftDocumentProvider;

  before(async () => {
    log = vscode.window.createOutputChannel('Driftline multi-root test', { log: true });
    sessions = [];
    for (const [index, repo] of repos.entries()) {
      repo.root = fs.mkdtempSync(path.join(os.tmpdir(), `driftline-${repo.name}-`));
      fs.writeFileSync(path.join(repo.root, '.driftline.yaml'), stringify({
        environments: [{ name: 'dev', context: cluster.adminContext }],
        apps: [{ name: 'shop', environment: 'dev', path: 'shop', namespace: repo.namespace, renderer: 'yaml' }],
      }));
      fs.mkdirSync(path.join(repo.root, 'shop'));
      const configMap = (owner: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: repo.namespace }, data: { owner } });
      fs.writeFileSync(path.join(repo.root, 'shop', 'settings.yaml'), stringify(configMap(repo.name)));
      kubectl(['create', 'namespace', repo.namespace]);
      // Only beta drifts live.
      kubectl(['apply', '-f', '-'], JSON.stringify(configMap(repo.name === 'beta' ? 'someone-else' : repo.name)));
      const folder: vscode.WorkspaceFolder = { uri: vscode.Uri.file(repo.root), name: repo.name, index: index + 1 };
      const session = new DriftSession(log, folder);
      sessions.push(session);
    }
    const source = fixedSessions(...sessions);
    tree = new DriftTreeProvider(source);
    live = new DriftDocumentProvider(source, LIVE_SCHEME, 'live');
    for (const session of sessions) {
      const folder = session.folder!;
      await session.reset(createBackend(folder, { ...readSettings(folder), kubeconfig: cluster.kubeconfig, contexts: {} }, log));
      assert.strictEqual(session.state, 'ready', session.failureMessage);
    }
  });

  after(() => {
    live?.dispose();
    tree?.dispose();
    for (const session of sessions ?? []) session.dispose();
    log?.dispose();
    for (const repo of repos) {
      if (repo.root) fs.rmSync(repo.root, { recursive: true, force: true });
      try { kubectl(['delete', 'namespace', repo.namespace, '--wait=false']); } catch { /* never created */ }
    }
  });

  const label = (node: DriftNode) => String(tree.getTreeItem(node).label);
  const row = (...labels: string[]): DriftNode => {
    let node: DriftNode | undefined;
    for (const wanted of labels) {
      node = tree.getChildren(node).find((child) => label(child) === wanted);
      if (!node) throw new Error(`no row ${labels.join('/')}`);
    }
    return node!;
  };

  it('shows a row per folder, each above its own environment and app', () => {
    const roots = tree.getChildren();
    assert.deepStrictEqual(roots.map(label), ['alpha', 'beta']);
    assert.deepStrictEqual(roots.map((root) => tree.getTreeItem(root).description), ['1 environment(s) · in sync', '1 environment(s) · 1 drifted']);
    assert.strictEqual(tree.getTreeItem(row('alpha', 'dev', 'shop')).description, 'in sync');
    assert.strictEqual(tree.getTreeItem(row('beta', 'dev', 'shop')).description, '1 drifted');
  });

  it('gives rows of the same names in the two folders ids of their own, and each its own parents', () => {
    const alpha = row('alpha', 'dev', 'shop', 'ConfigMap/settings');
    const beta = row('beta', 'dev', 'shop', 'ConfigMap/settings');
    assert.notStrictEqual(alpha.id, beta.id);
    assert.notStrictEqual(row('alpha', 'dev').id, row('beta', 'dev').id);
    const parents = (node: DriftNode | undefined): string[] => (node ? [label(node), ...parents(tree.getParent(node))] : []);
    assert.deepStrictEqual(parents(beta), ['ConfigMap/settings', 'shop', 'dev', 'beta']);
    assert.strictEqual(tree.sessionOf(beta), sessions[1]);
  });

  it('opens each row\'s live document from its own folder\'s cluster objects', () => {
    const text = (folder: string) => {
      const node = row(folder, 'dev', 'shop', 'ConfigMap/settings');
      if (node.kind !== 'resource') throw new Error('not a resource row');
      return live.provideTextDocumentContent(driftDocumentUri(LIVE_SCHEME, resourceKey(node.root, node.environment, node.app, node.result)));
    };
    assert.match(text('alpha'), /owner: alpha/);
    assert.match(text('beta'), /owner: someone-else/);
  });
});
