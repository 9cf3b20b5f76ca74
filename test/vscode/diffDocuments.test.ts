// Live-vs-Git diffs inside a real VS Code: titles, both documents' text, Secret masking, the app-level diff.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activeDiffTexts, environment, findNode, readyDriftline } from './support';

describe('Live-vs-Git diff', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('opens a drifted Deployment as "<Kind>/<name> (live <-> Git)" with the live and the Git replicas', async () => {
    const api = await readyDriftline();
    await vscode.commands.executeCommand('driftline.diff', findNode(api, environment, 'guestbook', 'Deployment/kustomize-guestbook-ui'));
    const diff = await activeDiffTexts();
    assert.strictEqual(diff.label, 'Deployment/kustomize-guestbook-ui (live <-> Git)');
    assert.strictEqual(diff.liveUri.scheme, 'driftline-live');
    assert.match(diff.live, /replicas: 3/);
    assert.match(diff.desired, /replicas: 1/);
    assert.doesNotMatch(diff.live, /managedFields|resourceVersion/, 'server bookkeeping is not shown as drift');
  });

  it('masks the values of a drifted Secret on both sides', async () => {
    const api = await readyDriftline();
    await vscode.commands.executeCommand('driftline.diff', findNode(api, environment, 'shop', 'Secret/shop-credentials'));
    const diff = await activeDiffTexts();
    for (const text of [diff.live, diff.desired]) {
      assert.match(text, /password/, 'the changed key is named');
      assert.doesNotMatch(text, /hunter2|aHVudGVyMi/, 'no value, plain or base64, is shown');
      assert.match(text, /\*\*\*/);
    }
  });

  it('shows a Missing object as absent live and an Extra one as absent from Git', async () => {
    const api = await readyDriftline();
    await vscode.commands.executeCommand('driftline.diff', findNode(api, environment, 'shop', 'Service/shop'));
    let diff = await activeDiffTexts();
    assert.match(diff.live, /Not in the cluster \(Missing\)/);
    assert.match(diff.desired, /kind: Service/);
    await vscode.commands.executeCommand('driftline.diff', findNode(api, environment, 'shop', 'ConfigMap/shop-leftover'));
    diff = await activeDiffTexts();
    assert.match(diff.live, /created by hand/);
    assert.match(diff.desired, /Not in Git \(Extra\)/);
  });

  it('diffs a whole app: every object, in the same order on both sides', async () => {
    const api = await readyDriftline();
    await vscode.commands.executeCommand('driftline.diff', findNode(api, environment, 'shop'));
    const diff = await activeDiffTexts();
    assert.strictEqual(diff.label, 'shop in dev (live <-> Git)');
    // Each object starts with a `# Kind/namespace/name: Status` line.
    const headers = (text: string) => text.split('\n').filter((line) => /^# \w+\/\S+: \w+$/.test(line))
      .map((line) => line.replace(/: \w+$/, ''));
    assert.deepStrictEqual(headers(diff.live), headers(diff.desired));
    assert.strictEqual(headers(diff.live).length, 5);
    assert.doesNotMatch(diff.live + diff.desired, /hunter2|aHVudGVyMi/);
  });
});
