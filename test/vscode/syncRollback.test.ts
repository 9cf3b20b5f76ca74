// Sync (dry run and real) and Rollback inside a real VS Code against the real test cluster. The preview
// QuickPick and the follow-up prompts are answered by the test; everything else is the extension's own.
// Runs after the other suites (file order): it repairs the demo's drift and commits to the demo repo.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { environment, findNode, kubectl, readyDriftline, repoFile, waitFor, workspaceRoot } from './support';

type Item = vscode.QuickPickItem;
type Window = {
  showQuickPick: (items: readonly Item[] | Thenable<readonly Item[]>, options?: vscode.QuickPickOptions) => Thenable<Item | undefined>;
  showInformationMessage: (message: string, ...rest: unknown[]) => Thenable<string | undefined>;
};

/** Answers each QuickPick with the item `choose` returns (from its items), recording titles and labels. */
function answerQuickPicks(...choose: ((items: readonly Item[]) => Item | undefined)[]) {
  const window = vscode.window as unknown as Window;
  const original = { pick: window.showQuickPick, info: window.showInformationMessage };
  const shown: { title?: string; labels: string[] }[] = [];
  const messages: string[] = [];
  window.showQuickPick = async (items, options) => {
    const list = await items;
    shown.push({ title: options?.title, labels: list.map((item) => item.label) });
    return choose[shown.length - 1]?.(list);
  };
  window.showInformationMessage = async (message: string) => {
    messages.push(message);
    return undefined;
  };
  return { shown, messages, restore: () => { window.showQuickPick = original.pick; window.showInformationMessage = original.info; } };
}

const byLabel = (pattern: RegExp) => (items: readonly Item[]) => items.find((item) => pattern.test(item.label));

describe('Sync and Rollback commands', () => {
  it('Sync (Dry Run) lists create / update / prune per object and changes nothing', async () => {
    const api = await readyDriftline();
    const answers = answerQuickPicks(() => undefined);
    try {
      await vscode.commands.executeCommand('driftline.syncDryRun', findNode(api, environment, 'shop'));
    } finally {
      answers.restore();
    }
    assert.strictEqual(answers.shown.length, 1);
    const labels = answers.shown[0].labels.join('\n');
    assert.match(answers.shown[0].title ?? '', /^Dry run: sync shop in dev/);
    assert.match(labels, /create Service\/.*\/shop/);
    assert.match(labels, /update ConfigMap\/.*\/shop-settings/);
    assert.match(labels, /update Secret\/.*\/shop-credentials/);
    assert.match(labels, /prune ConfigMap\/.*\/shop-leftover/);
    assert.ok(!/Apply/.test(labels), 'a dry run offers no way to apply');
    assert.throws(() => kubectl('shop', 'get', 'service', 'shop'), /NotFound|not found/);
  });

  it('Sync applies the chosen plan with prune, reports it, and the view shows the app in sync', async () => {
    const api = await readyDriftline();
    const answers = answerQuickPicks(byLabel(/Apply with force and prune 1 object/));
    try {
      await vscode.commands.executeCommand('driftline.sync', findNode(api, environment, 'shop'));
    } finally {
      answers.restore();
    }
    assert.match(answers.messages.join('\n'), /synced shop in dev: 4 change\(s\)/);
    assert.match(kubectl('shop', 'get', 'service', 'shop', '-o', 'name'), /service\/shop/);
    assert.throws(() => kubectl('shop', 'get', 'configmap', 'shop-leftover'), /NotFound|not found/);
    assert.match(kubectl('shop', 'get', 'configmap', 'shop-settings', '-o', 'jsonpath={.data.LOG_LEVEL}'), /^info$/);
    await waitFor(() => api.session.app(environment, 'shop')?.status === 'Synced', 'the view to show shop Synced');
  });

  it('Rollback lists the app\'s history and reverts the picked commit in a new commit', async () => {
    const api = await readyDriftline();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Tess Tester', '-c', 'user.email=tess@example.com', ...args], { cwd: workspaceRoot() }).toString();
    const settings = repoFile('environments/dev/shop/settings.yaml');
    const before = fs.readFileSync(settings, 'utf8');
    fs.writeFileSync(settings, before.replace('CURRENCY: EUR', 'CURRENCY: USD'));
    git('commit', '-q', '-am', 'shop: bill in USD');
    const answers = answerQuickPicks(byLabel(/shop: bill in USD/), byLabel(/^\$\(discard\) Revert this commit$/));
    try {
      await vscode.commands.executeCommand('driftline.rollback', findNode(api, environment, 'shop'));
    } finally {
      answers.restore();
    }
    assert.match(answers.shown[0].title ?? '', /history of shop \(dev\)/);
    assert.match(answers.shown[0].labels[0], /\$\(git-commit\) [0-9a-f]{7} shop: bill in USD/);
    assert.strictEqual(fs.readFileSync(settings, 'utf8'), before);
    assert.match(git('log', '-1', '--format=%s'), /^Revert "shop: bill in USD"/);
    assert.match(answers.messages.join('\n'), /committed [0-9a-f]{7} "Revert "shop: bill in USD""/);
  });
});
