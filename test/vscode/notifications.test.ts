// Notifications in a real VS Code: two apps in sync are added to the demo repo's dev environment (a ConfigMap
// each, applied live), then drifted live with kubectl the way people drift clusters. The notification is read
// where the extension shows it (vscode.window.showWarningMessage, answered as the user would); its buttons are
// judged by what they do: Show Diff opens that ConfigMap's diff, Show Status selects the app's row. A failed
// reconcile is written into the demo's web Kustomization's status as kustomize-controller writes it, an aborted
// canary into a Rollout's (the real CRD of shared/crds) as the rollouts controller writes it.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { appNodeId } from '../../src/vscode/driftTreeNodes';
import { SHOW_DIFF, SHOW_STATUS } from '../../src/vscode/driftNotifications';
import { applyPausedRollout, installRolloutCrds, PAUSED_ROLLOUT, pausedRollout } from '../support/pausedRollout';
import { itWithShared } from '../support/shared';
import { activeDiffTexts, clusterInfo, environment, namespaceOf, readyDriftline, repoFile, waitFor, withDialogs } from './support';

const APPS = ['notify-a', 'notify-b'] as const;
type App = typeof APPS[number];
const folderOf = (app: App) => repoFile(`environments/${environment}/${app}`);
const fileOf = (app: App) => path.join(folderOf(app), 'settings.yaml');
const configMapOf = (app: App) => `${app}-settings`;

function kubectlIn(namespace: string, ...args: string[]): string {
  const cluster = clusterInfo();
  return execFileSync('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', cluster.adminContext, '-n', namespace, ...args],
    { stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}
const kubectl = (...args: string[]) => kubectlIn(namespaceOf('shop'), ...args);

/** Writes the demo's web Kustomization's status as kustomize-controller does (no controller runs here). */
const webKustomizationStatus = (status: object) => kubectlIn(namespaceOf('web'), 'patch', 'kustomizations.kustomize.toolkit.fluxcd.io', 'web',
  '--subresource=status', '--type=merge', '-p', JSON.stringify({ status }));
const ready = (status: 'True' | 'False', reason: string, message: string) =>
  ({ conditions: [{ type: 'Ready', status, reason, message, lastTransitionTime: '2026-12-02T05:00:00Z', observedGeneration: 1 }] });

/** Back to what Git says (kubectl apply of the file), or changed by hand. */
const applyFromGit = (...apps: App[]) => { for (const app of apps) kubectl('apply', '-f', fileOf(app)); };
const driftLive = (...apps: App[]) => {
  for (const app of apps) kubectl('patch', 'configmap', configMapOf(app), '--type=merge', '-p', JSON.stringify({ data: { LOG_LEVEL: 'debug' } }));
};

async function setNotifications(name: 'enabled' | 'quietMinutes', value: boolean | number | undefined): Promise<void> {
  const settings = () => vscode.workspace.getConfiguration('driftline.notifications');
  await settings().update(name, value, vscode.ConfigurationTarget.Workspace);
  await waitFor(() => settings().inspect(name)?.workspaceValue === value, `driftline.notifications.${name} = ${value}`);
}

/** A full refresh, and the apps' statuses it found. */
async function refresh(): Promise<Record<App, string | undefined>> {
  const api = await readyDriftline();
  await api.session.refresh();
  return Object.fromEntries(APPS.map((app) => [app, api.session.app(environment, app)?.status])) as Record<App, string | undefined>;
}

/** The Driftline notifications shown while `work` runs (other warnings are answered as before: dismissed), each answered with `answer`. */
async function notificationsDuring(answer: string | undefined, work: () => Promise<unknown>): Promise<string[]> {
  const shown: string[] = [];
  await withDialogs({
    showWarningMessage: (message: string, ...items: string[]) => {
      if (!message.startsWith(`Driftline: ${environment}: `)) return undefined;
      shown.push(message);
      assert.deepStrictEqual(items, [SHOW_DIFF, SHOW_STATUS]);
      return answer;
    },
  }, work);
  return shown;
}

describe('Notifications', () => {
  before(async () => {
    const api = await readyDriftline();
    // Earlier suites may have notified for dev: no quiet time until the rate-limit case sets one.
    await setNotifications('quietMinutes', 0);
    for (const app of APPS) {
      fs.mkdirSync(folderOf(app), { recursive: true });
      fs.writeFileSync(fileOf(app), stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: configMapOf(app), namespace: namespaceOf('shop') }, data: { LOG_LEVEL: 'info' } }));
    }
    applyFromGit(...APPS);
    api.session.filesChanged(APPS.map(fileOf));
    assert.deepStrictEqual(await refresh(), { 'notify-a': 'Synced', 'notify-b': 'Synced' });
  });

  after(async () => {
    for (const app of APPS) {
      fs.rmSync(folderOf(app), { recursive: true, force: true });
      kubectl('delete', 'configmap', configMapOf(app), '--ignore-not-found');
    }
    await setNotifications('quietMinutes', undefined);
    await setNotifications('enabled', undefined);
    const api = await readyDriftline();
    api.session.filesChanged(APPS.map(fileOf));
    await api.session.refresh();
  });

  it('tells when an app in sync drifts, naming the object; Show Diff opens that object\'s diff', async () => {
    const shown = await notificationsDuring(SHOW_DIFF, async () => {
      driftLive('notify-a');
      assert.strictEqual((await refresh())['notify-a'], 'OutOfSync');
    });
    assert.deepStrictEqual(shown, [`Driftline: ${environment}: notify-a drifted (ConfigMap/${namespaceOf('shop')}/${configMapOf('notify-a')} changed)`]);
    await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === `ConfigMap/${configMapOf('notify-a')} (live <-> Git)`, 'the diff editor of the drifted ConfigMap');
    const diff = await activeDiffTexts();
    assert.match(diff.live, /LOG_LEVEL: debug/);
    assert.match(diff.desired, /LOG_LEVEL: info/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('stays quiet for an environment that notified within driftline.notifications.quietMinutes; Show Status reveals the app', async () => {
    await setNotifications('quietMinutes', 10);
    await refresh(); // the first report after a settings change is the new baseline
    const quiet = await notificationsDuring(SHOW_STATUS, async () => {
      driftLive('notify-b');
      assert.strictEqual((await refresh())['notify-b'], 'OutOfSync', 'notify-b drifted in the view');
    });
    assert.deepStrictEqual(quiet, [], 'dev notified in the case before, less than 10 minutes ago');

    // Without the quiet time the same change notifies: it was the rate limit that kept it quiet.
    await setNotifications('quietMinutes', 0);
    applyFromGit('notify-b');
    assert.strictEqual((await refresh())['notify-b'], 'Synced');
    const api = await readyDriftline();
    const shown = await notificationsDuring(SHOW_STATUS, async () => {
      driftLive('notify-b');
      await refresh();
    });
    assert.strictEqual(shown.length, 1, shown.join('\n'));
    assert.match(shown[0]!, /^Driftline: dev: notify-b drifted \(ConfigMap\/\S+\/notify-b-settings changed\)$/);
    const wanted = appNodeId(api.session.root, environment, 'notify-b');
    await waitFor(() => api.treeView.selection[0]?.id === wanted, 'the notify-b row selected in the Drift view');
    assert.ok(api.treeView.visible, 'the Drift view is shown');
  });

  it('shows none with driftline.notifications.enabled off; on again, several drifts of one report are one message', async () => {
    await setNotifications('enabled', false);
    applyFromGit(...APPS);
    assert.deepStrictEqual(await refresh(), { 'notify-a': 'Synced', 'notify-b': 'Synced' });
    const off = await notificationsDuring(undefined, async () => {
      driftLive(...APPS);
      assert.deepStrictEqual(await refresh(), { 'notify-a': 'OutOfSync', 'notify-b': 'OutOfSync' });
    });
    assert.deepStrictEqual(off, []);

    await setNotifications('enabled', true);
    applyFromGit(...APPS);
    assert.deepStrictEqual(await refresh(), { 'notify-a': 'Synced', 'notify-b': 'Synced' });
    const on = await notificationsDuring(undefined, async () => {
      driftLive(...APPS);
      await refresh();
    });
    assert.strictEqual(on.length, 1, on.join('\n'));
    assert.match(on[0]!, /^Driftline: dev: notify-a drifted \(ConfigMap\/\S+\/notify-a-settings changed\); notify-b drifted \(ConfigMap\/\S+\/notify-b-settings changed\)$/);
  });

  it('tells when a controller\'s reconcile starts failing, with its reason; Show Diff opens the app\'s diff', async () => {
    const api = await readyDriftline();
    try {
      webKustomizationStatus(ready('True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:0000000000000000000000000000000000000000'));
      await refresh();
      assert.strictEqual(api.session.app(environment, 'web')?.controller?.ready, 'True');
      const failure = `health check failed after 2m0s: timeout waiting for: [Deployment/${namespaceOf('web')}/web status: 'InProgress']`;
      const shown = await notificationsDuring(SHOW_DIFF, async () => {
        webKustomizationStatus(ready('False', 'HealthCheckFailed', failure));
        await refresh();
      });
      assert.deepStrictEqual(shown, [`Driftline: ${environment}: web: Kustomization ${namespaceOf('web')}/web failed to reconcile (HealthCheckFailed: ${failure})`]);
      await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === `web in ${environment} (live <-> Git)`, 'the diff editor of the web app');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      webKustomizationStatus({ conditions: null }); // as the demo left it: never reconciled
      await refresh();
    }
  });

  itWithShared('crds', 'tells when a Rollout becomes Degraded (aborted), with why; Show Diff opens the Rollout\'s diff', async () => {
    const rolloutFile = repoFile(`environments/${environment}/shop/rollout.yaml`);
    const admin = (...args: string[]) => kubectlIn(namespaceOf('shop'), ...args);
    try {
      await installRolloutCrds(admin);
      fs.writeFileSync(rolloutFile, stringify(pausedRollout(namespaceOf('shop'), 'shop', environment)));
      applyPausedRollout(admin, namespaceOf('shop'), rolloutFile);
      const api = await readyDriftline();
      api.session.filesChanged([rolloutFile]);
      await refresh();
      const rollout = () => api.session.app(environment, 'shop')?.resources.find((resource) => resource.kind === 'Rollout');
      assert.strictEqual(rollout()?.health, 'Paused');
      const why = 'Rollout aborted update to revision 2: metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)';
      const shown = await notificationsDuring(SHOW_DIFF, async () => {
        // What the rollouts controller writes when an analysis aborts the update.
        admin('patch', 'rollouts.argoproj.io', PAUSED_ROLLOUT, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: {
          abort: true, abortedAt: '2026-12-02T05:30:00Z', pauseConditions: null, controllerPause: false,
          conditions: [{ type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: why, lastTransitionTime: '2026-12-02T05:30:00Z', lastUpdateTime: '2026-12-02T05:30:00Z' }],
        } }));
        await refresh();
      });
      assert.strictEqual(rollout()?.health, 'Degraded');
      assert.strictEqual(shown.length, 1, shown.join('\n'));
      assert.ok(shown[0]!.startsWith(`Driftline: ${environment}: shop: Rollout/${namespaceOf('shop')}/${PAUSED_ROLLOUT} is Degraded: ${why}`), shown[0]);
      await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === `Rollout/${PAUSED_ROLLOUT} (live <-> Git)`, 'the diff editor of the Rollout');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      if (fs.existsSync(rolloutFile)) {
        fs.rmSync(rolloutFile);
        admin('delete', 'rollouts.argoproj.io', PAUSED_ROLLOUT, '--ignore-not-found');
        (await readyDriftline()).session.filesChanged([rolloutFile]);
        await refresh();
      }
    }
  });
});
