// Branch preview in a real VS Code (issue 14): a person runs "Driftline: Preview Branch...", picks the demo
// repo's branch in the QuickPick, and the Drift view enters preview mode: the banner, only the apps the
// branch changes, each object added / changed / removed / pruned; a click opens base <-> head and live <->
// head; Leave Preview brings the drift back. A base file feeding two environments says so in a CodeLens, and
// an unsaved edit shows in the preview of the working tree while nothing is written to disk.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { createBackend } from '../../src/vscode/driftBackend';
import { fixedSessions } from '../../src/vscode/driftRoots';
import { DriftSession } from '../../src/vscode/driftSession';
import type { DriftlineApi } from '../../src/vscode/extension';
import { AppsFedCodeLensProvider } from '../../src/vscode/preview/appsFedCodeLens';
import { PREVIEW_SCHEME } from '../../src/vscode/preview/previewDocumentProvider';
import { previewTreeItem, type PreviewNode } from '../../src/vscode/preview/previewTreeNodes';
import { readSettings } from '../../src/vscode/settings';
import { removeTempRepos, writeRepo } from '../support/gitopsExamples';
import { clusterInfo, environment, findNode, namespaceOf, readyDriftline, repoFile, waitFor, withDialogs, workspaceRoot } from './support';

const BRANCH = 'feature/preview';
const git = (...args: string[]) => execFileSync('git', args, { cwd: workspaceRoot(), stdio: 'pipe' }).toString();

/**
 * Commits on `branch` from a scratch worktree beside the checkout (`create`: a new branch off HEAD), as a
 * colleague's push would: the user's files and HEAD stay as they are.
 */
async function commitOnBranch(branch: string, create: boolean, message: string, edit: (tree: string) => Promise<void>): Promise<void> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-branch-'));
  const tree = path.join(scratch, 'tree');
  git('worktree', 'add', '--quiet', ...(create ? ['-b', branch, tree, 'HEAD'] : [tree, branch]));
  try {
    await edit(tree);
    execFileSync('git', ['add', '-A'], { cwd: tree });
    execFileSync('git', ['commit', '--quiet', '-m', message], { cwd: tree });
  } finally {
    git('worktree', 'remove', '--force', tree);
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/** The branch a colleague pushed: an api app added; shop in USD, without its Service and Deployment. */
function makeBranch(): Promise<void> {
  return commitOnBranch(BRANCH, true, 'api app; shop in USD without its Deployment and Service', async (tree) => {
    const shop = path.join(tree, 'environments/dev/shop');
    const settings = path.join(shop, 'settings.yaml');
    await fs.writeFile(settings, (await fs.readFile(settings, 'utf8')).replace('CURRENCY: EUR', 'CURRENCY: USD'));
    await fs.rm(path.join(shop, 'service.yaml')); // deleted live by the demo: removed
    await fs.rm(path.join(shop, 'deployment.yaml')); // live and labelled as the app's: pruned
    await fs.mkdir(path.join(tree, 'environments/dev/api'));
    await fs.writeFile(path.join(tree, 'environments/dev/api/settings.yaml'), stringify({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-settings', namespace: namespaceOf('shop') }, data: { PORT: '8080' },
    }));
  });
}

function rows(api: DriftlineApi, node?: PreviewNode): { label: string; description: string; contextValue: string; node: PreviewNode }[] {
  return api.previewRows.getChildren(node).map((child) => {
    const item = previewTreeItem(child);
    return { label: String(item.label), description: String(item.description ?? ''), contextValue: item.contextValue ?? '', node: child };
  });
}

function row(api: DriftlineApi, ...labels: string[]): PreviewNode {
  let node: PreviewNode | undefined;
  for (const label of labels) {
    const children = rows(api, node);
    node = children.find((child) => child.label === label)?.node;
    if (!node) throw new Error(`no preview row "${label}" (rows: ${children.map((child) => child.label).join(', ')})`);
  }
  return node!;
}

const documentText = async (uri: vscode.Uri) => (await vscode.workspace.openTextDocument(uri)).getText();

describe('Branch preview', () => {
  let api: DriftlineApi;
  before(async () => {
    api = await readyDriftline();
    await makeBranch();
  });
  after(async () => {
    await vscode.commands.executeCommand('driftline.leavePreview');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    git('branch', '-D', BRANCH);
  });

  it('previews the branch picked in the QuickPick: the banner, the apps it changes and each object added, changed, removed or pruned', async () => {
    const offered: string[] = [];
    await withDialogs({
      showQuickPick: (async (items: vscode.QuickPickItem[], options: vscode.QuickPickOptions) => {
        offered.push(options.title ?? '', ...items.map((item) => `${item.kind === vscode.QuickPickItemKind.Separator ? '--' : ''}${item.label}`));
        return items.find((item) => item.label === BRANCH);
      }) as never,
    }, () => vscode.commands.executeCommand('driftline.previewBranch'));
    assert.deepStrictEqual(offered.slice(0, 4), ['Driftline: Preview Branch (base main)', '$(git-compare) Change base...', '--Local branches', BRANCH],
      'the base is the repo\'s main branch, and is not offered as the head');
    assert.ok(api.preview.active, 'preview mode');
    assert.strictEqual(api.treeView.description, `preview: main <- ${BRANCH}`);
    assert.match(api.treeView.message ?? '', new RegExp(`^main <- ${BRANCH}: 2 apps change: 1 object added, 1 changed, 1 removed, 1 pruned \\(Git and the live cluster; `));

    assert.deepStrictEqual(rows(api).map((environmentRow) => environmentRow.label), [environment]);
    assert.deepStrictEqual(rows(api, row(api, environment)).map((app) => [app.label, app.description]).sort(), [
      ['api', 'app added · 1 added'],
      ['shop', '1 changed, 1 removed, 1 pruned · 2 unchanged not shown'],
    ], 'only the apps the branch changes (guestbook and web do not)');
    const objects = rows(api, row(api, environment, 'shop')).map((object) => [object.label, object.description.split(' · ')[0], object.contextValue]);
    assert.deepStrictEqual(objects.sort(), [
      ['ConfigMap/shop-settings', 'changed', 'preview:object:changed:live'],
      ['Deployment/shop', 'pruned', 'preview:object:pruned:live'],
      ['Service/shop', 'removed', 'preview:object:removed:live'],
    ]);
    assert.match(rows(api, row(api, environment, 'shop')).find((object) => object.label === 'ConfigMap/shop-settings')!.description, /^changed · live OutOfSync/);
    const [added] = rows(api, row(api, environment, 'api'));
    assert.deepStrictEqual([added!.label, added!.description.split(' · ').slice(0, 2).join(' · ')], ['ConfigMap/api-settings', 'added · live Missing']);
  });

  it('opens base <-> head and live <-> head of an object, as a click on its row does', async () => {
    const node = row(api, environment, 'shop', 'ConfigMap/shop-settings');
    const command = previewTreeItem(node).command!;
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const title = 'ConfigMap/shop-settings (preview: base <-> head, live <-> head) (2 files)';
    const active = () => vscode.window.tabGroups.activeTabGroup.activeTab;
    await waitFor(() => active()?.label === title, `the tab "${title}" (active: ${active()?.label})`);
    const uris = vscode.workspace.textDocuments.map((document) => document.uri).filter((uri) => uri.scheme === PREVIEW_SCHEME && uri.path.includes('/shop-settings'));
    const side = (name: string) => uris.find((uri) => new URLSearchParams(uri.query).get('side') === name);
    await waitFor(() => !!side('base') && !!side('head') && !!side('live'), 'the base, head and live documents');
    assert.deepStrictEqual(uris.filter((uri) => new URLSearchParams(uri.query).get('side') === 'head').map((uri) => path.posix.basename(uri.path)).sort(),
      ['shop-settings (base <-> head).yaml', 'shop-settings (live <-> head).yaml'], 'each pair named in the multi-diff editor');
    assert.match(await documentText(side('base')!), /CURRENCY: EUR/);
    assert.match(await documentText(side('head')!), /CURRENCY: USD/);
    assert.match(await documentText(side('live')!), /LOG_LEVEL: debug/, 'live: the demo drift, which applying the branch would undo');
  });

  it('leaves preview mode from the title bar: the drift rows and message come back', async () => {
    await vscode.commands.executeCommand('driftline.leavePreview');
    assert.strictEqual(api.preview.active, false);
    assert.strictEqual(api.treeView.description, undefined);
    assert.doesNotMatch(api.treeView.message ?? '', /<-/);
    assert.strictEqual(findNode(api, environment, 'shop').kind, 'app');
    assert.strictEqual(await documentText(vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: '/dev/shop/ConfigMap/x/shop-settings.yaml', query: `root=${encodeURIComponent(api.session.root)}&side=head` })),
      '# Preview mode has ended: run Driftline: Preview Branch... again\n');
  });

  it('previews the working tree with an unsaved edit, writing nothing to disk', async () => {
    // A browser's VS Code saves after a delay by default; the desktop's (and this person) does not.
    const files = vscode.workspace.getConfiguration('files');
    await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    const file = repoFile('environments/dev/shop/settings.yaml');
    const onDisk = await fs.readFile(file, 'utf8');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
    const at = editor.document.getText().indexOf('CURRENCY: EUR');
    assert.ok(at >= 0);
    await editor.edit((edit) => edit.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 'CURRENCY: EUR'.length)), 'CURRENCY: GBP'));
    try {
      await vscode.commands.executeCommand('driftline.previewWorkingTree');
      assert.match(api.treeView.message ?? '', /^HEAD <- working tree with 1 unsaved file: /);
      const settings = row(api, environment, 'shop', 'ConfigMap/shop-settings');
      assert.ok(settings.kind === 'previewObject');
      assert.strictEqual(settings.object.change, 'changed');
      assert.deepStrictEqual(settings.object.changedPaths, ['/data/CURRENCY']);
      assert.strictEqual((settings.object.head?.data as Record<string, string>).CURRENCY, 'GBP');
      assert.strictEqual(await fs.readFile(file, 'utf8'), onDisk, 'the file on disk is as it was');
      assert.ok(editor.document.isDirty, 'the edit is still unsaved');
    } finally {
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('driftline.leavePreview');
      await files.update('autoSave', undefined, vscode.ConfigurationTarget.Global);
      if (await fs.readFile(file, 'utf8') !== onDisk) await fs.writeFile(file, onDisk);
    }
  });

  it('follows the working tree: a file saved while its preview is shown updates the preview by itself', async () => {
    const file = repoFile('environments/dev/shop/settings.yaml');
    const onDisk = await fs.readFile(file, 'utf8');
    try {
      await vscode.commands.executeCommand('driftline.previewWorkingTree');
      assert.match(api.treeView.message ?? '', /^HEAD <- working tree: No app changes/);
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
      const at = editor.document.getText().indexOf('CURRENCY: EUR');
      await editor.edit((edit) => edit.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 'CURRENCY: EUR'.length)), 'CURRENCY: JPY'));
      await editor.document.save();
      await waitFor(() => /^HEAD <- working tree: 1 app changes/.test(api.treeView.message ?? ''), `the preview after the save (message: ${api.treeView.message})`);
      const settings = row(api, environment, 'shop', 'ConfigMap/shop-settings');
      assert.ok(settings.kind === 'previewObject');
      assert.strictEqual((settings.object.head?.data as Record<string, string>).CURRENCY, 'JPY');
    } finally {
      await vscode.commands.executeCommand('driftline.leavePreview');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await fs.writeFile(file, onDisk);
    }
  });

  it('Refresh Preview runs a branch preview again: a commit pushed to the branch since shows', async () => {
    await withDialogs({
      showQuickPick: (async (items: vscode.QuickPickItem[]) => items.find((item) => item.label === BRANCH)) as never,
    }, () => vscode.commands.executeCommand('driftline.previewBranch'));
    assert.deepStrictEqual(rows(api, row(api, environment)).map((app) => app.label).sort(), ['api', 'shop']);
    await commitOnBranch(BRANCH, false, 'jobs app', async (tree) => {
      await fs.mkdir(path.join(tree, 'environments/dev/jobs'));
      await fs.writeFile(path.join(tree, 'environments/dev/jobs/settings.yaml'), stringify({
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'jobs-settings', namespace: namespaceOf('shop') }, data: { WORKERS: '2' },
      }));
    });
    assert.deepStrictEqual(rows(api, row(api, environment)).map((app) => app.label).sort(), ['api', 'shop'], 'nothing changes before the user asks');
    await vscode.commands.executeCommand('driftline.refreshPreview');
    assert.deepStrictEqual(rows(api, row(api, environment)).map((app) => app.label).sort(), ['api', 'jobs', 'shop']);
    assert.deepStrictEqual(rows(api, row(api, environment, 'jobs')).map((object) => [object.label, object.description.split(' · ')[0]]), [['ConfigMap/jobs-settings', 'added']]);
    await vscode.commands.executeCommand('driftline.leavePreview');
  });

  it('says which app a file feeds in a CodeLens, and its click reveals the app in the Drift view', async () => {
    const { uri } = await vscode.workspace.openTextDocument(repoFile('environments/dev/shop/settings.yaml'));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const feeds = lenses.find((lens) => lens.command?.title.startsWith('feeds '));
    assert.strictEqual(feeds?.command?.title, 'feeds dev/shop');
    await vscode.commands.executeCommand(feeds!.command!.command, ...(feeds!.command!.arguments ?? []));
    await waitFor(() => api.treeView.selection[0]?.kind === 'app', 'the app selected in the Drift view');
    const [selected] = api.treeView.selection;
    assert.ok(selected?.kind === 'app' && selected.name === 'shop' && selected.environment === environment);
  });

  it('leads from changed files in the Source Control view to the apps they feed: two apps, a QuickPick, the one picked revealed', async () => {
    // What VS Code passes from the SCM view's context menu: the clicked resource state, then the selection.
    const changed = (relative: string) => ({ resourceUri: vscode.Uri.file(repoFile(relative)) });
    const shop = changed('environments/dev/shop/settings.yaml');
    const guestbook = changed('environments/dev/guestbook/kustomization.yaml');
    let offered: string[] = [];
    await withDialogs({
      showQuickPick: (async (items: (vscode.QuickPickItem & { detail?: string })[]) => {
        offered = items.map((item) => `${item.label} ${item.detail}`);
        return items.find((item) => item.label === `${environment}/guestbook`);
      }) as never,
    }, () => vscode.commands.executeCommand('driftline.showAffectedApps', shop, [shop, guestbook]));
    assert.deepStrictEqual(offered.sort(), [
      `${environment}/guestbook reads environments/dev/guestbook/kustomization.yaml`,
      `${environment}/shop reads environments/dev/shop/settings.yaml`,
    ]);
    await waitFor(() => api.treeView.selection[0]?.kind === 'app' && api.treeView.selection[0].name === 'guestbook', 'guestbook selected in the Drift view');

    let said = '';
    await withDialogs({ showInformationMessage: ((message: string) => { said = message; }) as never },
      () => vscode.commands.executeCommand('driftline.showAffectedApps', changed('README.md')));
    assert.strictEqual(said, 'Driftline: no app of the Drift view reads README.md.');
  });

  describe('on a fleet whose base feeds two environments', () => {
    const cluster = clusterInfo();
    let log: vscode.LogOutputChannel;
    let session: DriftSession;
    let registration: vscode.Disposable;
    let root: string;

    before(async () => {
      const overlay = (namespace: string) => `resources:\n  - ../../../base/web\nnamespace: ${namespace}\n`;
      root = await writeRepo({
        'base/web/kustomization.yaml': 'resources:\n  - configmap.yaml\n',
        'base/web/configmap.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { LOG_LEVEL: 'info' } }),
        'environments/production/web/kustomization.yaml': overlay('web-production'),
        'environments/staging/web/kustomization.yaml': overlay('web-staging'),
      });
      log = vscode.window.createOutputChannel('Driftline preview test', { log: true });
      const folder: vscode.WorkspaceFolder = { uri: vscode.Uri.file(root), name: 'fleet', index: 1 };
      session = new DriftSession(log, folder);
      const contexts = { production: cluster.adminContext, staging: cluster.adminContext };
      await session.reset(createBackend(folder, { ...readSettings(folder), kubeconfig: cluster.kubeconfig, contexts }, log));
      assert.strictEqual(session.state, 'ready', session.failureMessage);
      const lenses = new AppsFedCodeLensProvider(fixedSessions(session));
      registration = vscode.Disposable.from(lenses, vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: new vscode.RelativePattern(root, '**/*.yaml') }, lenses));
    });

    after(async () => {
      registration?.dispose();
      session?.dispose();
      log?.dispose();
      await removeTempRepos();
    });

    it('shows "feeds production/web, staging/web" on the base file, and only its own app on an overlay', async () => {
      const title = async (file: string) => {
        // CodeLenses are asked of an open document, as the editor does.
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, file)));
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
        return lenses.map((lens) => lens.command?.title).filter((text) => text?.startsWith('feeds '));
      };
      assert.deepStrictEqual(await title('base/web/configmap.yaml'), ['feeds production/web, staging/web']);
      assert.deepStrictEqual(await title('environments/staging/web/kustomization.yaml'), ['feeds staging/web']);
    });
  });
});
