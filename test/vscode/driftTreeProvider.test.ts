// The Drift view inside a real VS Code, against the demo repo applied to the test cluster and drifted live.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { ClusterClient } from '../../src/core/cluster/client';
import { loadKubeConfig } from '../../src/core/cluster/kubeconfig';
import { refOf } from '../../src/core/identity';
import { DRIFTLINE_FIELD_MANAGER } from '../../src/core/model';
import { createBackend } from '../../src/vscode/driftBackend';
import { DriftDocumentProvider } from '../../src/vscode/driftDocumentProvider';
import { fixedSessions } from '../../src/vscode/driftRoots';
import { DriftSession } from '../../src/vscode/driftSession';
import type { DriftNode, ResourceNode } from '../../src/vscode/driftTreeNodes';
import { DriftTreeProvider } from '../../src/vscode/driftTreeProvider';
import { DESIRED_SCHEME, LIVE_SCHEME, driftDocumentUri, resourceKey } from '../../src/vscode/driftUris';
import { readSettings } from '../../src/vscode/settings';
import { gatewayApiGateway, installGatewayCrds, istioGateway } from '../support/gatewayCrds';
import { clusterInfo, environment, findNode, kubectl, labelOf, namespaceOf, readyDriftline, statusOf, waitFor } from './support';

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

describe('Drift view: one kind name in two API groups', () => {
  // A repo of its own in a temp folder, with an app holding Istio's Gateway and Gateway API's Gateway of one
  // namespace and name (both CRDs installed on the test cluster), compared by an engine and session of their
  // own, so that the demo repo the other suites use is left as it is.
  let root: string;
  let namespace: string;
  let client: ClusterClient;
  let log: vscode.LogOutputChannel;
  let session: DriftSession;
  let tree: DriftTreeProvider;
  const documents: DriftDocumentProvider[] = [];

  before(async () => {
    const cluster = clusterInfo();
    client = ClusterClient.forContext(loadKubeConfig(cluster.kubeconfig), cluster.adminContext);
    await installGatewayCrds(client);
    namespace = `${namespaceOf('shop')}-gateways`;
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const objects = [istioGateway(namespace, 'public'), gatewayApiGateway(namespace, 'public'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mesh-settings', namespace }, data: { mode: 'strict' } }];
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-two-gateways-'));
    fs.mkdirSync(path.join(root, 'mesh'));
    fs.writeFileSync(path.join(root, '.driftline.yaml'), stringify({
      environments: [{ name: 'dev', context: cluster.adminContext }],
      apps: [{ name: 'mesh', environment: 'dev', path: 'mesh', namespace, renderer: 'yaml' }],
    }));
    for (const object of objects) {
      fs.writeFileSync(path.join(root, 'mesh', `${object.kind}-${object.apiVersion.replace(/\W+/g, '-')}.yaml`), stringify(object));
      await client.serverSideApply(object, { dryRun: false, fieldManager: DRIFTLINE_FIELD_MANAGER, force: true });
    }
    // Only Istio's Gateway drifts live: rows or documents mixed up would show it on both or neither.
    await client.mergePatch(refOf(istioGateway(namespace, 'public')), { spec: { selector: { istio: 'egressgateway' } } });
    const folder: vscode.WorkspaceFolder = { uri: vscode.Uri.file(root), name: 'two-gateways', index: 1 };
    log = vscode.window.createOutputChannel('Driftline two Gateways test', { log: true });
    session = new DriftSession(log, folder);
    tree = new DriftTreeProvider(fixedSessions(session));
    documents.push(new DriftDocumentProvider(fixedSessions(session), LIVE_SCHEME, 'live'), new DriftDocumentProvider(fixedSessions(session), DESIRED_SCHEME, 'desired'));
    await session.reset(createBackend(folder, { ...readSettings(folder), kubeconfig: cluster.kubeconfig, contexts: {} }, log));
    assert.strictEqual(session.state, 'ready', session.failureMessage);
  });

  after(async () => {
    for (const provider of documents) provider.dispose();
    tree?.dispose();
    session?.dispose();
    log?.dispose();
    if (namespace) await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
    client?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const meshRows = () => {
    const [dev] = tree.getChildren();
    const mesh = tree.getChildren(dev).find((node) => node.kind === 'app' && node.name === 'mesh');
    if (!mesh) throw new Error('no app mesh in the view');
    return tree.getChildren(mesh);
  };
  const label = (node: DriftNode) => String(tree.getTreeItem(node).label);
  const row = (text: string) => {
    const found = meshRows().find((node) => label(node) === text);
    if (!found || found.kind !== 'resource') throw new Error(`no row ${text} (rows: ${meshRows().map(label).join(', ')})`);
    return found;
  };
  const text = (side: 'live' | 'desired', node: ResourceNode) => documents[side === 'live' ? 0 : 1]
    .provideTextDocumentContent(driftDocumentUri(side === 'live' ? LIVE_SCHEME : DESIRED_SCHEME, resourceKey(node.root, node.environment, node.app, node.result)));

  it('shows two rows that say their group, with their own status, and keeps Kind/name where it is unambiguous', () => {
    assert.deepStrictEqual(meshRows().map(label).sort(), [
      'ConfigMap/mesh-settings', 'Gateway.gateway.networking.k8s.io/public', 'Gateway.networking.istio.io/public',
    ]);
    assert.strictEqual(new Set(meshRows().map((node) => node.id)).size, 3, 'every row has its own id');
    assert.strictEqual(statusOf(row('Gateway.networking.istio.io/public')), 'OutOfSync');
    assert.strictEqual(statusOf(row('Gateway.gateway.networking.k8s.io/public')), 'Synced');
  });

  it('opens two diffs, each with its own live and Git objects', () => {
    const istio = row('Gateway.networking.istio.io/public');
    const gatewayApi = row('Gateway.gateway.networking.k8s.io/public');
    assert.notStrictEqual(driftDocumentUri(LIVE_SCHEME, resourceKey(istio.root, istio.environment, istio.app, istio.result)).toString(),
      driftDocumentUri(LIVE_SCHEME, resourceKey(gatewayApi.root, gatewayApi.environment, gatewayApi.app, gatewayApi.result)).toString());
    assert.match(text('live', istio), /apiVersion: networking\.istio\.io\/v1beta1/);
    assert.match(text('live', istio), /istio: egressgateway/);
    assert.match(text('desired', istio), /istio: ingressgateway/);
    assert.match(text('live', gatewayApi), /apiVersion: gateway\.networking\.k8s\.io\/v1/);
    assert.match(text('live', gatewayApi), /gatewayClassName: envoy/);
    assert.strictEqual(text('live', gatewayApi), text('desired', gatewayApi));
  });

  it('heads each object of the app diff with its group, both sides in one order', () => {
    const key = { root: session.root, environment: 'dev', app: 'mesh' };
    const headers = (side: 'live' | 'desired') => documents[side === 'live' ? 0 : 1]
      .provideTextDocumentContent(driftDocumentUri(side === 'live' ? LIVE_SCHEME : DESIRED_SCHEME, key))
      .split('\n').filter((line) => line.startsWith('# '));
    assert.deepStrictEqual(headers('live'), [
      `# ConfigMap/${namespace}/mesh-settings: Synced`,
      `# Gateway.gateway.networking.k8s.io/${namespace}/public: Synced`,
      `# Gateway.networking.istio.io/${namespace}/public: OutOfSync`,
    ]);
    assert.deepStrictEqual(headers('desired'), headers('live'));
  });

  it('keeps each row\'s node and id across a refresh', async () => {
    const before = new Map(meshRows().map((node) => [node.id, node]));
    await session.refresh();
    const after = meshRows();
    assert.deepStrictEqual(after.map((node) => node.id).sort(), [...before.keys()].sort());
    for (const node of after) assert.strictEqual(node, before.get(node.id), `${label(node)} keeps its node`);
  });
});
