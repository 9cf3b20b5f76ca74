// Driftline's commands inside a real VS Code: Go to Source, Reveal Secret Values (asks first), Set Kube
// Context, and the status bar.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activeDiffTexts, environment, findNode, readyDriftline, repoFile, waitFor } from './support';

type WarningMessage = (message: string, options: vscode.MessageOptions, ...items: string[]) => Thenable<string | undefined>;

/** Answers the next warning prompt(s) with `answer`, recording what was asked. */
function answerWarnings(answer: string | undefined): { asked: { message: string; modal?: boolean }[]; restore(): void } {
  const window = vscode.window as { showWarningMessage: WarningMessage };
  const original = window.showWarningMessage;
  const asked: { message: string; modal?: boolean }[] = [];
  window.showWarningMessage = async (message, options) => {
    asked.push({ message, modal: options?.modal });
    return answer;
  };
  return { asked, restore: () => { window.showWarningMessage = original; } };
}

/** Runs Reveal Secret Values on the shop's Secret, answering its prompt with `answer`; returns what was asked. */
async function revealShopSecret(answer: string | undefined): Promise<{ asked: { message: string; modal?: boolean }[] }> {
  const api = await readyDriftline();
  const prompt = answerWarnings(answer);
  try {
    await vscode.commands.executeCommand('driftline.revealSecret', findNode(api, environment, 'shop', 'Secret/shop-credentials'));
  } finally {
    prompt.restore();
  }
  return prompt;
}

describe('Commands', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('Go to Source opens the file that defines the object, at its line', async () => {
    const api = await readyDriftline();
    const node = findNode(api, environment, 'shop', 'ConfigMap/shop-settings');
    await vscode.commands.executeCommand('driftline.goToSource', node);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor is open');
    assert.strictEqual(path.basename(editor.document.uri.fsPath), 'settings.yaml');
    assert.strictEqual(editor.selection.active.line, ((node.kind === 'resource' && node.result.source?.line) || 1) - 1);
  });

  it('Go to Source opens the kustomize base file of an object of a kustomize app', async () => {
    const api = await readyDriftline();
    await vscode.commands.executeCommand('driftline.goToSource', findNode(api, environment, 'guestbook', 'Deployment/kustomize-guestbook-ui'));
    assert.strictEqual(path.basename(vscode.window.activeTextEditor?.document.uri.fsPath ?? ''), 'guestbook-ui-deployment.yaml');
  });

  it('Reveal Secret Values asks first, modally, and shows nothing when the user cancels', async () => {
    const prompt = await revealShopSecret(undefined);
    assert.strictEqual(prompt.asked.length, 1);
    assert.strictEqual(prompt.asked[0].modal, true);
    assert.match(prompt.asked[0].message, /shop-credentials/);
    assert.strictEqual(vscode.window.tabGroups.activeTabGroup.activeTab, undefined, 'no document was opened');
  });

  it('Reveal Secret Values shows the live value in clear after the user confirms', async () => {
    await revealShopSecret('Reveal');
    const diff = await activeDiffTexts();
    assert.match(diff.label, /secret values revealed/);
    assert.match(diff.live, /hunter2-live|aHVudGVyMi1saXZl/, 'the live value, plain or base64');
    assert.match(diff.desired, /hunter2-git|aHVudGVyMi1naXQ=/, 'the Git value, plain or base64');
  });

  it('never writes a Secret value to the Driftline log, even after revealing it', async () => {
    const api = await readyDriftline();
    await revealShopSecret('Reveal');
    // The Output channel's log file: wait until it holds the reveal itself, so that it is the right file, flushed.
    const logFile = path.join(api.extensionContext.logUri.fsPath, 'Driftline.log');
    const read = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
    await waitFor(() => read().includes('Revealed the values of Secret/'), `the reveal to be logged in ${logFile}`);
    assert.doesNotMatch(read(), /hunter2|aHVudGVyMi/);
  });

  it('shows the environment, its context and the drift count in the status bar', async () => {
    const api = await readyDriftline();
    assert.match(api.statusBar.text, /dev \(admin\): .*drifted.*missing/);
  });

  it('decorates in the Explorer the files whose objects drift, and only those', async () => {
    const api = await readyDriftline();
    const decoration = (file: string) => api.decorations.provideFileDecoration(vscode.Uri.file(repoFile(file)));
    assert.strictEqual(decoration('environments/dev/shop/settings.yaml')?.badge, 'D');
    assert.strictEqual(decoration('environments/dev/shop/service.yaml')?.badge, 'D', 'a Missing object drifts too');
    assert.strictEqual(decoration('environments/dev/shop/deployment.yaml'), undefined, 'Synced');
  });

  it('Set Kube Context stores the picked context for the environment and compares against it', async () => {
    const api = await readyDriftline();
    const window = vscode.window as { showQuickPick: unknown };
    const original = window.showQuickPick;
    window.showQuickPick = async (items: readonly vscode.QuickPickItem[]) => items.find((item) => item.label === 'limited');
    const configuration = () => vscode.workspace.getConfiguration('driftline');
    const before = configuration().get('contexts');
    try {
      await vscode.commands.executeCommand('driftline.setContext', findNode(api, environment));
      assert.deepStrictEqual(configuration().get('contexts'), { dev: 'limited' });
      await waitFor(() => api.session.environment(environment)?.context === 'limited', 'the view to use context limited');
      // The limited user may read only namespace team-a: the apps cannot be compared, and the rows say why.
      assert.strictEqual(api.tree.getTreeItem(findNode(api, environment, 'guestbook')).description, '2 unknown');
      const deployment = findNode(api, environment, 'guestbook', 'Deployment/kustomize-guestbook-ui');
      const tooltip = api.tree.resolveTreeItem(api.tree.getTreeItem(deployment), deployment).tooltip as vscode.MarkdownString;
      assert.match(tooltip.value, /Why unknown: .*forbidden/i);
    } finally {
      window.showQuickPick = original;
      await configuration().update('contexts', before, vscode.ConfigurationTarget.Workspace);
      await waitFor(() => api.session.environment(environment)?.context === 'admin', 'the view to go back to context admin');
    }
  });
});
