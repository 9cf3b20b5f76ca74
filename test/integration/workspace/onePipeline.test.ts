// One pipeline: the view (drift engine), Sync, Rollback and Suspend work on one workspace, so they see the same
// apps. The case that split them before: helm only at the path the driftline.helmPath setting names (none on
// PATH), and an Argo CD app-of-apps chart whose child Applications only helm can list.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runStatus } from '../../../src/cli/status';
import { DriftEngine } from '../../../src/core/drift/engine';
import { locateApp } from '../../../src/core/git';
import { prepareSync, resolveSyncTarget } from '../../../src/core/sync';
import { testCluster, testWorkspace } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { withToolsOnPath } from '../../support/gitopsExamples';
import { runCli } from '../sync/runCli';

const REPO_URL = 'https://git.example.com/acme/fleet.git';

function helmOnPath(): string {
  const found = (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'helm')).find((file) => fs.existsSync(file));
  if (!found) throw new Error('helm is not on PATH: the test tools (test/tools/install-helm.sh) install it');
  return found;
}

/** A repo whose root Application renders the chart `apps`, which makes the Application `guestbook`. */
function appOfAppsRepo(namespace: string, extraConfig = ''): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-one-pipeline-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  const application = (name: string, sourcePath: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n` +
    `  source:\n    repoURL: ${REPO_URL}\n    path: ${sourcePath}\n    targetRevision: HEAD\n  destination:\n    name: dev\n    namespace: ${namespace}\n`;
  write('.driftline.yaml', `environments:\n  - name: dev\n    context: ${testCluster().adminContext}\nrepoURLs: [${REPO_URL}]\n${extraConfig}`);
  write('argocd/root.yaml', application('root', 'apps'));
  write('apps/Chart.yaml', 'apiVersion: v2\nname: apps\nversion: 0.1.0\n');
  write('apps/templates/guestbook.yaml', application('guestbook', 'guestbook'));
  write('guestbook/config.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: guestbook-ui\ndata:\n  title: hello\n`);
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.'], { cwd: root });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'fleet'], { cwd: root });
  return root;
}

describe('one pipeline: the view, Sync, Rollback and Suspend see the same apps', () => {
  let root: string;
  let namespace: string;
  let helm: string;

  before(() => { helm = helmOnPath(); });
  beforeEach(async () => {
    namespace = await freshNamespace('one-pipeline');
    root = appOfAppsRepo(namespace);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('with helm only at the configured path (none on PATH), every command finds the app-of-apps child', async () => {
    await withToolsOnPath(['kubectl', 'git'], async () => {
      const workspace = testWorkspace(root, { renderOptions: { tools: { helm } } });
      const engine = new DriftEngine(workspace);
      try {
        const report = await engine.status();
        const apps = report.environments.flatMap((environment) => environment.apps.map((app) => `${environment.name}/${app.name}`));
        assert.deepEqual(apps.sort(), ['dev/guestbook', 'dev/root']);
        const guestbook = report.environments[0]!.apps.find((app) => app.name === 'guestbook')!;
        assert.equal(guestbook.status, 'OutOfSync', JSON.stringify(guestbook));

        const prepared = await prepareSync(workspace, { environment: 'dev', app: 'guestbook', mode: 'direct' });
        assert.equal(prepared.mode, 'direct');
        assert.deepEqual(prepared.mode === 'direct' && prepared.plan.changes.map((c) => `${c.action} ${c.ref.kind}/${c.ref.name}`), ['create ConfigMap/guestbook-ui']);
        assert.equal((await resolveSyncTarget(workspace, { environment: 'dev', app: 'guestbook' })).app.name, 'guestbook');
        assert.deepEqual((await locateApp(workspace, 'guestbook', 'dev')).paths, [path.join(root, 'guestbook', 'config.yaml')]);
      } finally {
        engine.close();
      }
    });
  });

  it('driftline status --json carries each app\'s controller', async () => {
    fs.appendFileSync(path.join(root, '.driftline.yaml'), `tools:\n  helm: ${helm}\n`);
    const run = await runCli((args, io) => runStatus(args, io), ['--repo', root, '--kubeconfig', testCluster().kubeconfig, '--json']);
    assert.notEqual(run.code, 2, run.stderr);
    const report = JSON.parse(run.stdout) as { environments: { apps: { name: string; controller?: { apiVersion: string; kind: string; namespace: string; name: string; message?: string } }[] }[] };
    // The object it names; beside it, what its live object says (here: that it is not in the cluster).
    const controllers = Object.fromEntries(report.environments[0]!.apps.map((app) => [app.name, app.controller && {
      apiVersion: app.controller.apiVersion, kind: app.controller.kind, namespace: app.controller.namespace, name: app.controller.name,
    }]));
    assert.deepEqual(controllers.guestbook, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'guestbook' });
    assert.deepEqual(controllers.root, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'root' });
    assert.equal(report.environments[0]!.apps.find((app) => app.name === 'guestbook')?.controller?.message, 'Application/argocd/guestbook is not in the cluster');
  });
});
