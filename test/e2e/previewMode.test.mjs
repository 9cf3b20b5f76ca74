// Branch preview as a user meets it in the browser: "Driftline: Preview Branch..." from the command palette, the
// branch typed into the QuickPick, the Drift view in preview mode (banner, the apps the branch changes, each
// object's change), an object's base <-> head and live <-> head in one multi-diff editor, then Leave Preview.
// The screenshot is the one docs/preview-mode.png shows.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { e2e, openDriftView, openWorkbench, runCommand, screenshot, treeRow, treeRows, waitForRow } from './workbench.mjs';

const BRANCH = 'feature/preview';
const git = (...args) => execFileSync('git', args, { cwd: e2e.workspace, stdio: 'pipe' }).toString();

/** The branch, committed beside the checkout (a scratch worktree): the workspace's files and HEAD stay as they are. */
function makeBranch() {
  const tree = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-e2e-branch-')), 'tree');
  git('worktree', 'add', '--quiet', '-b', BRANCH, tree, 'HEAD');
  try {
    const shop = path.join(tree, 'environments/dev/shop');
    const settings = path.join(shop, 'settings.yaml');
    fs.writeFileSync(settings, fs.readFileSync(settings, 'utf8').replace('CURRENCY: EUR', 'CURRENCY: USD'));
    fs.rmSync(path.join(shop, 'deployment.yaml'));
    fs.mkdirSync(path.join(tree, 'environments/dev/api'));
    fs.writeFileSync(path.join(tree, 'environments/dev/api/settings.yaml'), YAML.stringify({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-settings', namespace: e2e.namespaces.shop }, data: { PORT: '8080' },
    }));
    execFileSync('git', ['add', '-A'], { cwd: tree });
    execFileSync('git', ['commit', '--quiet', '-m', 'api app; shop in USD without its Deployment'], { cwd: tree });
  } finally {
    git('worktree', 'remove', '--force', tree);
  }
}

describe('Preview mode in the browser', function () {
  let workbench;
  before(async () => {
    makeBranch();
    workbench = await openWorkbench(e2e.repoUrl);
    await openDriftView(workbench.page, 560);
  });
  after(async () => {
    await workbench?.close();
    git('branch', '-D', BRANCH);
  });

  it('previews a branch picked in the QuickPick: banner, changing apps, object changes, the three-way diff, and back', async () => {
    const page = workbench.page;
    await waitForRow(page, 'shop', /drifted/);
    await runCommand(page, 'Driftline: Preview Branch...');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: BRANCH }).first().waitFor();
    await input.fill(BRANCH);
    await page.keyboard.press('Enter');

    await waitForRow(page, 'api', /^app added · 1 added/);
    const banner = page.locator('#workbench\\.parts\\.sidebar .message', { hasText: `main <- ${BRANCH}: 2 apps change` });
    await banner.waitFor({ timeout: 90_000 });
    assert.match(await banner.textContent(), /2 apps change: 1 object added, 1 changed, 0 removed, 1 pruned \(Git and the live cluster;/);
    const rows = await treeRows(page);
    assert.deepEqual(rows.map((row) => row.label).filter((label) => ['guestbook', 'web'].includes(label)), [], 'apps the branch leaves alone are not listed');
    const change = (label) => rows.find((row) => row.label === label)?.description.split(' · ')[0];
    assert.equal(change('ConfigMap/shop-settings'), 'changed');
    assert.equal(change('Deployment/shop'), 'pruned');
    assert.equal(change('ConfigMap/api-settings'), 'added');

    await treeRow(page, 'ConfigMap/shop-settings').click();
    await page.locator('.tabs-container .tab', { hasText: 'ConfigMap/shop-settings (preview: base <-> head, live <-> head)' }).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.monaco-diff-editor .view-lines')]
      .map((lines) => lines.textContent).join('\n').includes('USD'));
    await screenshot(page, 'preview-mode');

    await runCommand(page, 'Driftline: Leave Preview');
    await waitForRow(page, 'guestbook', /drifted/);
    // The tree and the view's message are two updates of the page: wait for the banner to go, not just the rows to come.
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
  });
});
