// Driving the VS Code workbench (code-server 4.100 / VS Code 1.100) in headless Chromium, with the selectors
// that VS Code's own smoke tests use. Screenshots go to test-results/e2e/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, repoRoot, startCodeServer } from '../../scripts/code-server/codeServer.mjs';

export const e2e = JSON.parse(process.env.DRIFTLINE_E2E ?? 'null') ?? (() => {
  throw new Error('DRIFTLINE_E2E is not set: run the browser suite with node test/e2e/run.mjs');
})();
export const screenshotDir = path.join(repoRoot, 'test-results', 'e2e');

let launches = 0;

/** Opens the workbench on `url` in a fresh browser profile; `close()` ends the browser. */
export async function openWorkbench(url) {
  const browser = await launchBrowser(path.join(e2e.browserDir, `profile-${++launches}`));
  const page = browser.pages()[0] ?? await browser.newPage();
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return { page, close: () => browser.close() };
}

/**
 * Runs `use(workbench)` in a second code-server with its own environment and user settings (e.g. workspace
 * trust on, or no kubeconfig), opened on `folder`; stops it afterwards.
 */
export async function withOwnCodeServer({ folder, env = {}, settings = {} }, use) {
  fs.mkdirSync(e2e.scratchDir, { recursive: true });
  const server = await startCodeServer({
    entry: e2e.codeServerEntry, workDir: fs.mkdtempSync(path.join(e2e.scratchDir, 'code-server-')),
    extensionsDir: e2e.extensionsDir, env, settings,
  });
  let workbench;
  try {
    workbench = await openWorkbench(server.url(folder));
    return await use(workbench);
  } finally {
    await workbench?.close();
    await server.stop();
  }
}

/** Shows the Drift view, its side bar `width` px wide (room for the rows' descriptions). */
export async function openDriftView(page, width = 420) {
  await page.locator('#workbench\\.parts\\.activitybar').getByRole('tab', { name: /Driftline/ }).click();
  // The container has one view, so VS Code hides its pane header: wait for the side bar's title instead.
  await page.locator('#workbench\\.parts\\.sidebar .composite.title', { hasText: /driftline/i }).waitFor();
  await widenSideBar(page, width);
}

/** Drags the side bar's edge so that rows and their descriptions fit (the default 300 px cuts them). */
async function widenSideBar(page, width) {
  const box = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const edge = { x: box.x + box.width, y: box.y + box.height / 2 };
  await page.mouse.move(edge.x - 1, edge.y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, edge.y, { steps: 5 });
  await page.mouse.up();
}

const sidebarRows = (page) => page.locator('#workbench\\.parts\\.sidebar .monaco-list-row[role="treeitem"]');

/** The Drift view's visible rows: label and description. */
export async function treeRows(page) {
  return sidebarRows(page).evaluateAll((rows) => rows.map((row) => ({
    label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
    description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
  })));
}

export function treeRow(page, label) {
  return sidebarRows(page).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) });
}

/** Waits until a row with `label` shows a description matching `description`. */
export async function waitForRow(page, label, description = /./) {
  await page.waitForFunction(({ label, source }) => [...document.querySelectorAll('#workbench\\.parts\\.sidebar .monaco-list-row[role="treeitem"]')]
    .some((row) => row.querySelector('.label-name')?.textContent?.trim() === label
      && new RegExp(source).test(row.querySelector('.label-description')?.textContent ?? '')),
  { label, source: description.source }, { timeout: 90_000 });
}

/** Runs a command from the command palette by its title, e.g. "Driftline: Refresh". */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

export async function screenshot(page, name) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** kubectl as the test cluster's admin in the namespace of a demo app. */
export function kubectl(app, ...args) {
  const { kubeconfig, adminContext } = e2e.clusterInfo;
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, '--context', adminContext, '-n', e2e.namespaces[app], ...args]).toString();
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
