// A protected environment inside a real VS Code: Sync asks the user to type the environment's name; any other
// name cancels with nothing written, the right one applies. The demo's `dev` is made protected for this suite
// by a .driftline.yaml (removed afterwards); guestbook (its Deployment scaled live to 3) is the app synced.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { environment, findNode, kubectl, readyDriftline, repoFile, withDialogs } from './support';

const replicasLive = () => kubectl('guestbook', 'get', 'deployment', 'kustomize-guestbook-ui', '-o', 'jsonpath={.spec.replicas}');
const applyChoice = (items: readonly vscode.QuickPickItem[]) => items.find((item) => /^\$\((check|warning)\) Apply(?!.*prune)/.test(item.label));

describe('Protected environments', () => {
  const config = () => repoFile('.driftline.yaml');

  async function setProtected(value: boolean): Promise<void> {
    const api = await readyDriftline();
    if (value) fs.writeFileSync(config(), `environments:\n  - name: ${environment}\n    protected: true\n`);
    else fs.rmSync(config(), { force: true });
    api.session.filesChanged([config()]);
    await api.session.refresh();
    assert.strictEqual(api.session.environment(environment)?.protected, value);
  }

  before(() => setProtected(true));
  after(() => setProtected(false));

  /** Syncs guestbook, typing `typed` when asked; returns what the input box asked and the warnings shown. */
  async function syncTyping(typed: string) {
    const api = await readyDriftline();
    const asked: vscode.InputBoxOptions[] = [];
    const warnings: string[] = [];
    await withDialogs({
      showQuickPick: async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => applyChoice(await items),
      showInputBox: (options: vscode.InputBoxOptions) => { asked.push(options); return typed; },
      showWarningMessage: (message: string) => { warnings.push(message); },
      showInformationMessage: () => undefined,
    }, () => vscode.commands.executeCommand('driftline.sync', findNode(api, environment, 'guestbook')));
    return { asked, warnings };
  }

  it('shows the environment as protected in the Drift view', async () => {
    const api = await readyDriftline();
    assert.strictEqual(api.tree.getTreeItem(findNode(api, environment)).contextValue, 'environment:protected');
  });

  it('Sync asks to type the environment\'s name, and a wrong name cancels with nothing written', async () => {
    assert.strictEqual(replicasLive(), '3');
    const { asked, warnings } = await syncTyping('prod');
    assert.strictEqual(asked.length, 1, 'one input box');
    assert.strictEqual(asked[0].title, `Environment ${environment} is protected`);
    assert.match(asked[0].prompt ?? '', new RegExp(`Type "${environment}" to sync guestbook`));
    assert.match(String(await asked[0].validateInput?.('prod')), new RegExp(`Type ${environment} exactly`));
    assert.strictEqual(await asked[0].validateInput?.(environment), undefined);
    assert.match(warnings.join('\n'), /"prod" is not dev; nothing was changed/);
    assert.strictEqual(replicasLive(), '3', 'the live Deployment is untouched');
  });

  it('Escape in the input box cancels too', async () => {
    const api = await readyDriftline();
    await withDialogs({
      showQuickPick: async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => applyChoice(await items),
      showInputBox: () => undefined,
    }, () => vscode.commands.executeCommand('driftline.sync', findNode(api, environment, 'guestbook')));
    assert.strictEqual(replicasLive(), '3');
  });

  it('the right name applies the sync', async () => {
    const { asked } = await syncTyping(environment);
    assert.strictEqual(asked.length, 1);
    assert.strictEqual(replicasLive(), '1');
  });
});
