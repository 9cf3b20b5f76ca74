// What each cluster runs, in the Drift view of a real VS Code: the demo repo's Flux app `web` (its Kustomization
// live in the web namespace) gets a bare remote two commits ahead of the revision the test writes as
// kustomize-controller's lastAppliedRevision, and a GitRepository whose status says authentication failed.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DriftNode } from '../../src/vscode/driftTreeNodes';
import { clusterInfo, environment, findNode, labelOf, namespaceOf, readyDriftline, waitFor, workspaceRoot } from './support';

function kubectl(...args: string[]): string {
  const cluster = clusterInfo();
  return execFileSync('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', cluster.adminContext, '-n', namespaceOf('web'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: workspaceRoot(), stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' } }).toString().trim();
}

const KUSTOMIZATIONS = 'kustomizations.kustomize.toolkit.fluxcd.io';
const GIT_REPOSITORIES = 'gitrepositories.source.toolkit.fluxcd.io';
/** The project's copy of the CRD (the demo installs only the Kustomization's); out/test/vscode -> the project root. */
const GIT_REPOSITORY_CRD = path.resolve(__dirname, '..', '..', '..', 'scripts', 'cluster', 'crds', 'flux-gitrepositories.yaml');

/** Creates the GitRepository CRD unless the cluster has it (a 1.20 server refuses its CEL rules through apply), then waits until it is served. */
async function installGitRepositoryCrd(): Promise<void> {
  const cluster = clusterInfo();
  const run = (...args: string[]) => execFileSync('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', cluster.adminContext, ...args], { stdio: 'pipe' }).toString();
  try {
    run('get', 'crd', GIT_REPOSITORIES);
  } catch {
    run('create', '--validate=false', '-f', GIT_REPOSITORY_CRD);
  }
  await waitFor(() => {
    const crd = JSON.parse(run('get', 'crd', GIT_REPOSITORIES, '-o', 'json')) as { status?: { conditions?: { type: string; status: string }[] } };
    return crd.status?.conditions?.some((condition) => condition.type === 'Established' && condition.status === 'True') ?? false;
  }, 'the GitRepository CRD Established');
}

/** Cleanup steps run each on their own: one that fails (a before hook that stopped early) leaves the others to run. */
function each(...steps: (() => unknown)[]): void {
  for (const step of steps) {
    try {
      step();
    } catch {
      /* nothing of it to undo */
    }
  }
}

describe('What each cluster runs (Drift view)', () => {
  let remoteDir: string;
  let applied: string;

  before(async () => {
    await readyDriftline();
    await installGitRepositoryCrd();
    remoteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-whatruns-remote-'));
    git('init', '-q', '--bare', '-b', 'main', path.join(remoteDir, 'fleet.git'));
    git('remote', 'add', 'origin', path.join(remoteDir, 'fleet.git'));
    applied = git('rev-parse', 'HEAD');
    // Empty commits: the demo's files, and so every other suite's rows, stay as they are.
    git('commit', '-q', '--allow-empty', '-m', 'bump the fleet');
    git('commit', '-q', '--allow-empty', '-m', 'bump the fleet again');
    git('push', '-q', '-u', 'origin', 'main');
  });

  after(() => each(
    () => kubectl('delete', GIT_REPOSITORIES, 'flux-system', '--ignore-not-found'),
    () => kubectl('patch', KUSTOMIZATIONS, 'web', '--subresource=status', '--type=merge', '-p', '{"status":null}'),
    () => applied && git('reset', '-q', '--soft', applied),
    () => git('branch', '--unset-upstream'),
    () => git('remote', 'remove', 'origin'),
    () => remoteDir && fs.rmSync(remoteDir, { recursive: true, force: true }),
  ));

  it('the app row says which commit runs and how far behind origin/main; a failing source is a warning row; the tooltip lists the commits', async () => {
    execFileSync('kubectl', ['--kubeconfig', clusterInfo().kubeconfig, '--context', clusterInfo().adminContext, '-n', namespaceOf('web'), 'apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system' },
        spec: { interval: '1m', url: 'ssh://git@git.example.invalid/org/fleet.git', ref: { branch: 'main' } },
      }),
    });
    kubectl('patch', GIT_REPOSITORIES, 'flux-system', '--subresource=status', '--type=merge', '-p', JSON.stringify({
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'GitOperationFailed', message: 'failed to checkout and determine revision: authentication required', lastTransitionTime: '2026-12-02T04:00:00Z', observedGeneration: 1 }] },
    }));
    kubectl('patch', KUSTOMIZATIONS, 'web', '--subresource=status', '--type=merge', '-p', JSON.stringify({
      status: {
        lastAppliedRevision: `main@sha1:${applied}`, lastAttemptedRevision: `main@sha1:${applied}`,
        conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${applied}`, lastTransitionTime: '2026-12-02T03:00:00Z', observedGeneration: 1 }],
      },
    }));
    const api = await readyDriftline();
    await vscode.commands.executeCommand('driftline.refresh');
    const row = () => findNode(api, environment, 'web');
    const expected = `runs ${applied.slice(0, 7)} · 2 behind origin/main · source GitRepository not ready`;
    await waitFor(() => String(api.tree.getTreeItem(row()).description ?? '').includes(expected), `"${expected}" on the web row`);

    const warning = api.tree.getChildren(row()).find((child: DriftNode) => child.kind === 'controllerProblem');
    assert.ok(warning, 'a warning row under web');
    assert.strictEqual(labelOf(api, warning), `GitRepository ${namespaceOf('web')}/flux-system`);
    assert.strictEqual(api.tree.getTreeItem(warning).description, 'Ready=False · GitOperationFailed: failed to checkout and determine revision: authentication required');

    const item = api.tree.getTreeItem(row());
    // The markdown as a reader sees it: appendText escapes spaces and punctuation.
    const tooltip = (api.tree.resolveTreeItem(item, row()).tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(tooltip, /source GitRepository \S+\/flux-system: Ready=False · GitOperationFailed: failed to checkout and determine revision: authentication required/);
    assert.match(tooltip, /2 commits behind origin\/main \(0 touch this app\)\n- `\w{7}` bump the fleet again\n- `\w{7}` bump the fleet\n/);
  });
});
