// A paused canary as a user sees it in the browser: an Argo Rollouts Rollout of the demo's shop app, waiting at
// its pause step (status written as the rollouts controller writes it; no controller runs here), on the real
// Rollout CRD of shared/crds. Its row says where the release stands, its tooltip why it waits. The screenshot is
// the one docs/paused-canary.png shows.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import YAML from 'yaml';
import { e2e, openDriftView, openWorkbench, screenshot, treeRow, treeRows, waitForRow } from './workbench.mjs';

// The fixture and the shared-data skip are the VS Code suites' own, as `npm run build` compiles them.
const require = createRequire(import.meta.url);
const { describeWithShared } = require('../../out/test/support/shared.js');
const { PAUSED_ROLLOUT, applyPausedRollout, installRolloutCrds, pausedRollout } = require('../../out/test/support/pausedRollout.js');

const admin = (...args) => execFileSync('kubectl', ['--kubeconfig', e2e.clusterInfo.kubeconfig, '--context', e2e.clusterInfo.adminContext, ...args],
  { stdio: ['pipe', 'pipe', 'pipe'] }).toString();

describeWithShared('crds', 'Paused canary in the browser', () => {
  const namespace = e2e.namespaces.shop;
  const file = path.join(e2e.workspace, 'environments/dev/shop/rollout.yaml');
  let workbench;

  before(async () => {
    await installRolloutCrds(admin);
    fs.writeFileSync(file, YAML.stringify(pausedRollout(namespace, 'shop', 'dev')));
    applyPausedRollout(admin, namespace, file);
    workbench = await openWorkbench(e2e.repoUrl);
    await openDriftView(workbench.page, 660); // the Rollout row's description in full, beside its tooltip
  });

  after(async () => {
    await workbench?.close();
    if (!fs.existsSync(file)) return;
    fs.rmSync(file);
    admin('-n', namespace, 'delete', 'rollouts.argoproj.io', PAUSED_ROLLOUT, '--ignore-not-found');
  });

  it('shows the Rollout row Synced and Paused at step 2 of 4 with its canary weight, and why it waits on hover', async () => {
    const page = workbench.page;
    await waitForRow(page, 'shop', /drifted/);
    const shop = treeRow(page, 'shop');
    // The workbench may keep the row expanded from an earlier window on this folder.
    if (await shop.getAttribute('aria-expanded') !== 'true') await shop.click();
    const label = `Rollout/${PAUSED_ROLLOUT}`;
    await waitForRow(page, label, /^Synced · Paused/);
    const row = (await treeRows(page)).find((candidate) => candidate.label === label);
    assert.equal(row.description, `Synced · Paused · step 2/4 · weight 25% · ${namespace}`);
    await treeRow(page, label).hover();
    const hover = page.locator('.monaco-hover', { hasText: 'CanaryPauseStep' });
    await hover.waitFor();
    // The tooltip's text is markdown-escaped: its spaces are non-breaking ones.
    assert.match((await hover.textContent()).replace(/\u00a0/g, ' '), /paused by the controller \(CanaryPauseStep\) since 2026-12-02T01:10:00Z: Promote continues it/);
    await screenshot(page, 'paused-canary');
  });
});
