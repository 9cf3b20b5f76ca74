// Suspend / Resume Flux reconciling inside a real VS Code, against the real Flux Kustomization CRD (no
// controller runs: the test reads what a controller would see). For this suite the demo repo gets a Flux
// Kustomization in clusters/dev (removed afterwards), live in the guestbook namespace.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { clusterInfo, environment, findNode, namespaceOf, readyDriftline, repoFile, waitFor, withDialogs } from './support';

const crdFile = path.resolve(__dirname, '../../../test/support/gitops-crds/flux-kustomizations.yaml');

function kubectl(...args: string[]): string {
  const cluster = clusterInfo();
  return execFileSync('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', cluster.adminContext, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

describe('Suspend and Resume Flux reconciling', () => {
  const namespace = () => namespaceOf('guestbook');
  const file = () => repoFile('clusters/dev/web.yaml');
  const live = (jsonpath: string) => kubectl('-n', namespace(), 'get', 'kustomizations.kustomize.toolkit.fluxcd.io', 'web', '-o', `jsonpath=${jsonpath}`);

  before(async () => {
    // A 1.20 server refuses the CRD's CEL rules through apply: a plain create installs it (test/support/crds.ts).
    try {
      kubectl('create', '--validate=false', '-f', crdFile);
    } catch (error) {
      if (!/AlreadyExists/.test(String((error as { stderr?: Buffer }).stderr))) throw error;
    }
    // `kubectl wait` fails at once while a just-created CRD has no conditions yet: poll until it is Established.
    await waitFor(() => kubectl('get', 'crd', 'kustomizations.kustomize.toolkit.fluxcd.io',
      '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}') === 'True', 'the Kustomization CRD to be Established');
    const kustomization = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: web
  namespace: ${namespace()}
spec:
  interval: 10m
  path: ./web
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
    fs.mkdirSync(path.dirname(file()), { recursive: true });
    fs.writeFileSync(file(), kustomization);
    kubectl('create', '--validate=false', '-f', file());
    const api = await readyDriftline();
    api.session.filesChanged([file()]);
    await api.session.refresh();
  });

  after(async () => {
    fs.rmSync(path.dirname(path.dirname(file())), { recursive: true, force: true });
    kubectl('-n', namespace(), 'delete', 'kustomizations.kustomize.toolkit.fluxcd.io', 'web', '--ignore-not-found');
    const api = await readyDriftline();
    api.session.filesChanged([file()]);
    await api.session.refresh();
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
