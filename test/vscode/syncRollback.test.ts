// Sync (dry run and real) and Rollback inside a real VS Code against the real test cluster. The preview
// QuickPick and the follow-up prompts are answered by the test; everything else is the extension's own.
// Runs after the other suites (file order): it repairs the demo's drift and commits to the demo repo.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { environment, findNode, kubectl, namespaceOf, readyDriftline, repoFile, waitFor, workspaceRoot } from './support';

type Item = vscode.QuickPickItem;
type Window = {
  showQuickPick: (items: readonly Item[] | Thenable<readonly Item[]>, options?: vscode.QuickPickOptions) => Thenable<Item | undefined>;
  showInformationMessage: (message: string, ...rest: unknown[]) => Thenable<string | undefined>;
};

/** Answers each QuickPick with the item `choose` returns (from its items), recording titles and labels. */
function answerQuickPicks(...choose: ((items: readonly Item[]) => Item | undefined | Promise<Item | undefined>)[]) {
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

  it('Sync with an object the server refuses names it, writes nothing, and "Apply the other N" applies the rest', async () => {
    const api = await readyDriftline();
    const folder = repoFile('environments/dev/shop');
    const added = { refused: `${folder}/nightly-report.yaml`, accepted: `${folder}/report-settings.yaml` };
    // batch/v1 CronJob is served from Kubernetes 1.21 on; the test server is 1.20.
    const namespace = namespaceOf('shop');
    fs.writeFileSync(added.refused, `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly-report\n  namespace: ${namespace}\nspec:\n  schedule: "0 3 * * *"\n` +
      '  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - { name: report, image: busybox }\n');
    fs.writeFileSync(added.accepted, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: report-settings\n  namespace: ${namespace}\ndata:\n  HOUR: "3"\n`);
    try {
      await api.session.refresh({ environment, app: 'shop' });
      // A person reads the preview before choosing.
      const first = answerQuickPicks(() => undefined);
      try {
        await vscode.commands.executeCommand('driftline.sync', findNode(api, environment, 'shop'));
      } finally {
        first.restore();
      }
      const labels = first.shown[0]?.labels.join('\n') ?? '';
      assert.match(labels, new RegExp(`blocked CronJob/${namespace}/nightly-report`));
      assert.match(labels, /Apply the other 1/);
      assert.throws(() => kubectl('shop', 'get', 'configmap', 'report-settings'), /NotFound|not found/, 'nothing written before the choice');
      const person = answerQuickPicks(async (items: readonly Item[]) => {
        await new Promise((resolve) => setTimeout(resolve, 2_000)); // reading the preview
        return items.find((item) => /Apply the other 1/.test(item.label));
      });
      try {
        await vscode.commands.executeCommand('driftline.sync', findNode(api, environment, 'shop'));
      } finally {
        person.restore();
      }
      assert.match(kubectl('shop', 'get', 'configmap', 'report-settings', '-o', 'jsonpath={.data.HOUR}'), /^3$/);
      await waitFor(() => {
        const row = api.session.app(environment, 'shop')?.resources.find((resource) => resource.kind === 'CronJob');
        return !!row && row.status !== 'Synced' && /CronJob/.test(row.reason ?? '');
      }, 'the refused CronJob to keep its reason in the view');
    } finally {
      fs.rmSync(added.refused, { force: true });
      fs.rmSync(added.accepted, { force: true });
    }
  });
});
