// The Drift view as a user sees it in a browser: rows, a diff, the command palette, the welcome view.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  e2e, kubectl, openDriftView, openWorkbench, runCommand, screenshot, treeRow, treeRows, waitForRow, withOwnCodeServer,
} from './workbench.mjs';

describe('Drift view in the browser', function () {
  let workbench;
  let page;
  before(async () => {
    workbench = await openWorkbench(e2e.repoUrl);
    page = workbench.page;
    await openDriftView(page);
  });
  after(() => workbench?.close());

  it('lists the environment and its apps with their drift counts', async () => {
    await waitForRow(page, 'shop', /drifted/);
    const rows = await treeRows(page);
    assert.deepEqual(rows.map((row) => row.label).slice(0, 4), ['dev', 'guestbook', 'shop', 'web']);
    assert.match(rows.find((row) => row.label === 'dev').description, /^admin · .*drifted/);
    assert.equal(rows.find((row) => row.label === 'guestbook').description, '1 drifted');
    assert.equal(rows.find((row) => row.label === 'shop').description, '2 drifted, 1 missing, 1 extra');
    // The Flux app; its SOPS Secret compares (Synced) with the demo key of the user settings, so only its ConfigMap drifts.
    assert.equal(rows.find((row) => row.label === 'web').description, '1 drifted');
    await screenshot(page, 'drift-view');
  });

  it('expands an app into its resources, each with its status', async () => {
    await treeRow(page, 'shop').click();
    await waitForRow(page, 'Service/shop', /^Missing/);
    const rows = await treeRows(page);
    const status = (label) => rows.find((row) => row.label === label)?.description.split(' · ')[0];
    assert.equal(status('ConfigMap/shop-settings'), 'OutOfSync');
    assert.equal(status('ConfigMap/shop-leftover'), 'Extra');
    assert.equal(status('Deployment/shop'), 'Synced');
  });

  it('opens the live <-> Git diff of a drifted resource when its row is clicked', async () => {
    await treeRow(page, 'ConfigMap/shop-settings').click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'ConfigMap/shop-settings (live <-> Git)' });
    await tab.waitFor();
    const diff = page.locator('.monaco-diff-editor');
    await diff.waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.monaco-diff-editor .view-lines')]
      .map((lines) => lines.textContent).join('\n').includes('debug'));
    const text = await diff.locator('.view-lines').allTextContents();
    assert.match(text.join('\n'), /LOG_LEVEL/);
    await screenshot(page, 'drift-view-with-diff');
  });

  it('runs "Driftline: Refresh" from the command palette and shows what changed in the cluster', async () => {
    kubectl('guestbook', 'scale', 'deployment', 'kustomize-guestbook-ui', '--replicas=1');
    try {
      await runCommand(page, 'Driftline: Refresh');
      await waitForRow(page, 'guestbook', /^in sync$/);
      await screenshot(page, 'after-refresh');
    } finally {
      kubectl('guestbook', 'scale', 'deployment', 'kustomize-guestbook-ui', '--replicas=3');
    }
  });
});

describe('Welcome view in the browser', () => {
  it('explains that no GitOps repository was found and creates a .driftline.yaml on request', async () => {
    const workbench = await openWorkbench(e2e.emptyUrl);
    try {
      await openDriftView(workbench.page);
      const welcome = workbench.page.locator('#workbench\\.parts\\.sidebar .welcome-view-content');
      await welcome.getByText('No GitOps repository found', { exact: false }).waitFor({ timeout: 90_000 });
      await screenshot(workbench.page, 'welcome-no-repo');
      await welcome.getByRole('button', { name: 'Create .driftline.yaml' }).click();
      await workbench.page.locator('.tabs-container .tab', { hasText: '.driftline.yaml' }).waitFor();
      await workbench.page.waitForFunction(() => document.querySelector('.editor-instance .view-lines')?.textContent?.includes('environments:'));
      const config = fs.readFileSync(path.join(e2e.emptyFolder, '.driftline.yaml'), 'utf8');
      assert.match(config, /context: admin/, 'the template names a context of the kubeconfig');
    } finally {
      await workbench.close();
    }
  });
});

describe('Restricted mode in the browser', () => {
  it('compares the plain YAML app read-only in an untrusted workspace, says why the others are Unknown, and refuses to sync', async function () {
    this.timeout(240_000); // a code-server of its own, and a comparison
    // This code-server's user has workspace trust on, so the demo repo opens untrusted (restricted mode).
    const settings = { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' };
    await withOwnCodeServer({ folder: e2e.workspace, env: { KUBECONFIG: e2e.clusterInfo.kubeconfig }, settings }, async ({ page }) => {
      await openDriftView(page);
      await waitForRow(page, 'shop', /drifted/);
      const rows = await treeRows(page);
      assert.deepEqual(rows.map((row) => row.label).slice(0, 4), ['dev', 'guestbook', 'shop', 'web']);
      const description = (label) => rows.find((row) => row.label === label).description;
      // shop is plain YAML: compared as in a trusted workspace.
      assert.equal(description('shop'), '2 drifted, 1 missing, 1 extra');
      // guestbook is a kustomization; web a Flux Kustomization, which kustomize-controller builds with kustomize.
      assert.match(description('guestbook'), /^Unknown: .*guestbook.*: needs kustomize, which does not run in an untrusted workspace$/);
      assert.match(description('web'), /^Unknown: needs kustomize, which does not run in an untrusted workspace/);
      const message = page.locator('#workbench\\.parts\\.sidebar .message', { hasText: 'Restricted mode' });
      await message.waitFor();
      assert.match(await message.textContent(), /plain YAML apps are compared, read-only; kustomize, Helm and gpg do not run and nothing is written to a cluster until you trust this workspace/);
      await screenshot(page, 'restricted-mode');

      // Sync (not its dry run, which the palette lists first for this text) on the shop row.
      await treeRow(page, 'shop').click();
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Driftline: Sync…');
      await page.locator('.quick-input-list .monaco-list-row[aria-label^="Driftline: Sync…"]').click();
      await page.locator('.notifications-toasts', { hasText: 'Driftline: sync is disabled in an untrusted workspace: trust this folder first' }).waitFor();
      await screenshot(page, 'restricted-mode-sync-refused');

      // Trust granted: the engine is built again with tools allowed, and the kustomize app compares.
      await runCommand(page, 'Workspaces: Manage Workspace Trust');
      await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click();
      await waitForRow(page, 'guestbook', /^1 drifted$/);
      assert.equal(await page.locator('#workbench\\.parts\\.sidebar .message', { hasText: 'Restricted mode' }).count(), 0, 'restricted mode is over');
      await screenshot(page, 'restricted-mode-trusted');
    });
  });
});

describe('No cluster in the browser', () => {
  it('says that no kube context was found and offers to choose one', async () => {
    // The GitOps folders of the demo repo without its .vscode settings, and a KUBECONFIG that does not exist.
    fs.mkdirSync(e2e.scratchDir, { recursive: true });
    const folder = fs.mkdtempSync(path.join(e2e.scratchDir, 'no-cluster-'));
    fs.cpSync(path.join(e2e.workspace, 'environments'), path.join(folder, 'environments'), { recursive: true });
    const env = { KUBECONFIG: path.join(folder, 'no-such-kubeconfig') };
    await withOwnCodeServer({ folder, env }, async ({ page }) => {
      await openDriftView(page);
      const welcome = page.locator('#workbench\\.parts\\.sidebar .welcome-view-content');
      await welcome.getByText('No Kubernetes cluster found', { exact: false }).waitFor({ timeout: 90_000 });
      assert.ok(await welcome.getByRole('button', { name: 'Choose a kube context' }).isVisible());
      assert.ok(await welcome.getByRole('button', { name: 'Create .driftline.yaml' }).isVisible());
      await screenshot(page, 'welcome-no-cluster');
    });
  });

  it('says which kubeconfig file is malformed and why', async () => {
    fs.mkdirSync(e2e.scratchDir, { recursive: true });
    const folder = fs.mkdtempSync(path.join(e2e.scratchDir, 'broken-kubeconfig-'));
    fs.cpSync(path.join(e2e.workspace, 'environments'), path.join(folder, 'environments'), { recursive: true });
    const kubeconfig = path.join(folder, 'kubeconfig');
    fs.writeFileSync(kubeconfig, 'apiVersion: v1\nclusters: [\n');
    await withOwnCodeServer({ folder, env: { KUBECONFIG: kubeconfig } }, async ({ page }) => {
      await openDriftView(page);
      const message = page.locator('#workbench\\.parts\\.sidebar .message', { hasText: 'malformed kubeconfig' });
      await message.waitFor({ timeout: 90_000 });
      assert.equal(await message.textContent(), `Cannot compare: malformed kubeconfig ${kubeconfig}: unexpected end of the stream ` +
        'within a flow collection (3:1). Fix the file, or choose another kubeconfig (setting driftline.kubeconfig).');
      assert.deepEqual(await treeRows(page), [], 'nothing was compared');
      await screenshot(page, 'malformed-kubeconfig');
    });
  });
});

describe('Multi-root workspace in the browser', () => {
  it('shows each folder that holds a GitOps repo as a root of its own, and a command acts on the folder of its row', async function () {
    this.timeout(240_000); // a code-server of its own, and two comparisons
    // A second repo beside the demo one, with an environment and an app of the same names (dev/shop), and a
    // folder that holds no GitOps repo: the rows, their documents and commands must not mix them up.
    fs.mkdirSync(e2e.scratchDir, { recursive: true });
    const scratch = fs.mkdtempSync(path.join(e2e.scratchDir, 'multi-root-'));
    const second = path.join(scratch, 'second');
    const namespace = `${path.basename(scratch).toLowerCase().replace(/[^a-z0-9]/g, '')}-shop`.slice(-50);
    fs.mkdirSync(path.join(second, 'shop'), { recursive: true });
    fs.writeFileSync(path.join(second, '.driftline.yaml'), [
      'environments:', `  - name: dev`, `    context: ${e2e.clusterInfo.adminContext}`,
      'apps:', '  - name: shop', '    environment: dev', '    path: shop', `    namespace: ${namespace}`, '',
    ].join('\n'));
    const configMap = (mode) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second-settings\n  namespace: ${namespace}\ndata:\n  mode: ${mode}\n`;
    fs.writeFileSync(path.join(second, 'shop', 'config.yaml'), configMap('git'));
    const gitIn = (...args) => execFileSync('git', ['-C', second, ...args], { stdio: 'pipe' });
    gitIn('init', '--quiet', '--initial-branch', 'main');
    gitIn('add', '-A');
    gitIn('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', 'commit', '--quiet', '-m', 'shop');
    const kubectlAdmin = (args, input) => execFileSync('kubectl', ['--kubeconfig', e2e.clusterInfo.kubeconfig, '--context', e2e.clusterInfo.adminContext, ...args],
      { input, stdio: ['pipe', 'pipe', 'pipe'] });
    kubectlAdmin(['create', 'namespace', namespace]);
    kubectlAdmin(['apply', '-f', '-'], configMap('live'));
    const notes = path.join(scratch, 'notes');
    fs.mkdirSync(notes);
    fs.writeFileSync(path.join(notes, 'README.md'), '# Just notes\n');
    const workspaceFile = path.join(scratch, 'two-repos.code-workspace');
    fs.writeFileSync(workspaceFile, JSON.stringify({
      folders: [{ path: e2e.workspace, name: 'demo' }, { path: second, name: 'second' }, { path: notes, name: 'notes' }],
    }));
    try {
      await withOwnCodeServer({ folder: workspaceFile, env: { KUBECONFIG: e2e.clusterInfo.kubeconfig } }, async ({ page }) => {
        await openDriftView(page);
        await waitForRow(page, 'second', /1 environment\(s\) · 1 drifted/);
        await waitForRow(page, 'demo', /1 environment\(s\)/);
        const rows = await treeRows(page);
        assert.deepEqual(rows.map((row) => row.label), ['demo', 'dev', 'guestbook', 'shop', 'web', 'second', 'dev', 'shop'],
          'a root per GitOps repo (not the notes folder), each above its environments');
        await screenshot(page, 'multi-root');

        // Sync (Dry Run) on the second repo's shop previews that repo's objects, not the demo's shop.
        await treeRow(page, 'shop').last().click();
        await page.keyboard.press('F1');
        await page.locator('.quick-input-widget input').fill('>Driftline: Sync (Dry Run)…');
        await page.locator('.quick-input-list .monaco-list-row[aria-label^="Driftline: Sync (Dry Run)…"]').click();
        const preview = page.locator('.quick-input-list .monaco-list-row', { hasText: `update ConfigMap/${namespace}/second-settings` });
        await preview.waitFor({ timeout: 60_000 });
        const items = await page.locator('.quick-input-list .monaco-list-row').allTextContents();
        assert.ok(!items.some((item) => /shop-settings|shop-credentials/.test(item)), `only the second repo's objects: ${items.join(' | ')}`);
        await screenshot(page, 'multi-root-dry-run');

        // The two folders share one log: each line names its folder.
        await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        await page.locator('.quick-input-widget input').fill('>Driftline: Show Log');
        await page.locator('.quick-input-list .monaco-list-row[aria-label^="Driftline: Show Log"]').click();
        for (const folder of ['demo', 'second']) {
          await page.locator('.part.panel .view-lines', { hasText: `[${folder}] Compared` }).waitFor({ timeout: 30_000 });
        }
        await screenshot(page, 'multi-root-log');

        // Preview Working Tree asks which folder; the second one's uncommitted edit is all the preview shows.
        fs.writeFileSync(path.join(second, 'shop', 'config.yaml'), configMap('preview'));
        await runCommand(page, 'Driftline: Preview Working Tree');
        const folderPick = page.locator('.quick-input-widget input');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'second' }).first().waitFor();
        assert.equal(await page.locator('.quick-input-widget input').getAttribute('placeholder'), 'Preview in which folder?');
        await folderPick.fill('second');
        await page.keyboard.press('Enter');
        const banner = page.locator('#workbench\\.parts\\.sidebar .message', { hasText: 'HEAD <- working tree: 1 app changes' });
        await banner.waitFor({ timeout: 90_000 });
        await waitForRow(page, 'ConfigMap/second-settings', /^changed/);
        const previewed = (await treeRows(page)).map((row) => row.label);
        assert.deepEqual(previewed.filter((label) => ['guestbook', 'web', 'ConfigMap/shop-settings'].includes(label)), [], `only the second folder's change: ${previewed.join(', ')}`);
        await screenshot(page, 'multi-root-preview');
      });
    } finally {
      kubectlAdmin(['delete', 'namespace', namespace, '--wait=false']);
    }
  });
});
