// Suspend / Resume Flux reconciling inside a real VS Code, against the real Flux Kustomization CRD (no
// controller runs: the test reads what a controller would see). The demo repo's Flux app `web` is the
// Kustomization clusters/dev/web.yaml, created live in the web namespace by scripts/demo-repo/demoRepo.mjs.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as vscode from 'vscode';
import { clusterInfo, environment, findNode, namespaceOf, readyDriftline, waitFor, withDialogs } from './support';

function kubectl(...args: string[]): string {
  const cluster = clusterInfo();
  return execFileSync('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', cluster.adminContext, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

describe('Suspend and Resume Flux reconciling', () => {
  const namespace = () => namespaceOf('web');
  const live = (jsonpath: string) => kubectl('-n', namespace(), 'get', 'kustomizations.kustomize.toolkit.fluxcd.io', 'web', '-o', `jsonpath=${jsonpath}`);

  before(async () => {
    assert.strictEqual(live('{.spec.path}'), './apps/web', 'the demo repo\'s Kustomization web is live');
    const api = await readyDriftline();
    await waitFor(() => api.session.app(environment, 'web') !== undefined, 'the Flux app web in the view');
  });

  after(() => {
    // Leave the demo's Kustomization as it was made, whatever a failed test left behind.
    kubectl('-n', namespace(), 'patch', 'kustomizations.kustomize.toolkit.fluxcd.io', 'web', '--type=merge', '-p', '{"spec":{"suspend":false}}');
  });

  it('marks the rows of apps Flux reconciles with :flux, and only those', async () => {
    const api = await readyDriftline();
    assert.match(api.tree.getTreeItem(findNode(api, environment, 'web')).contextValue ?? '', /^app:\w+:flux$/);
    assert.match(api.tree.getTreeItem(findNode(api, environment, 'shop')).contextValue ?? '', /^app:\w+$/);
  });

  it('Suspend sets spec.suspend of the live Kustomization and says so', async () => {
    const api = await readyDriftline();
    const messages: string[] = [];
    await withDialogs({ showInformationMessage: (message: string) => { messages.push(message); } },
      () => vscode.commands.executeCommand('driftline.suspend', findNode(api, environment, 'web')));
    assert.strictEqual(live('{.spec.suspend}'), 'true');
    assert.match(messages.join('\n'), new RegExp(`suspended Kustomization/${namespace()}/web`));
  });

  it('Resume clears spec.suspend and requests a reconcile', async () => {
    const api = await readyDriftline();
    const messages: string[] = [];
    await withDialogs({ showInformationMessage: (message: string) => { messages.push(message); } },
      () => vscode.commands.executeCommand('driftline.resume', findNode(api, environment, 'web')));
    assert.strictEqual(live('{.spec.suspend}'), 'false');
    const requestedAt = live('{.metadata.annotations.reconcile\\.fluxcd\\.io/requestedAt}');
    assert.ok(requestedAt, 'reconcile.fluxcd.io/requestedAt is written');
    assert.match(messages.join('\n'), new RegExp(`resumed Kustomization/${namespace()}/web \\(reconcile requested at ${requestedAt}\\)`));
  });
});
