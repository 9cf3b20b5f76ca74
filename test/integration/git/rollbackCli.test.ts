// `driftline history` and `driftline rollback` on a real repository with a bare remote. The app is found
// through `.driftline.yaml`; its history follows its kustomize tree into the base.
import assert from 'node:assert/strict';
import { runHistory } from '../../../src/cli/history';
import { runRollback } from '../../../src/cli/rollback';
import { runCli } from '../sync/runCli';
import { AppHistoryFixture, buildAppHistory, deployment } from './appFixture';
import { GitFixture, makeGitFixture } from './gitFixture';

const CONFIG = [
  'environments:',
  '  - name: staging',
  '    protected: false',
  '  - name: production',
  '    protected: true',
  'apps:',
  '  - name: podinfo',
  '    environments: [staging]',
  '    path: apps/staging/podinfo',
  '    renderer: kustomize',
  '  - name: podinfo-prod',
  '    environments: [production]',
  '    path: apps/staging/podinfo',
  '    renderer: kustomize',
  '',
].join('\n');

describe('driftline history and rollback', () => {
  let repo: GitFixture;
  let app: AppHistoryFixture;
  beforeEach(() => {
    repo = makeGitFixture();
    repo.commit('driftline config', { '.driftline.yaml': CONFIG });
    app = buildAppHistory(repo);
    repo.git('push', '--quiet', '-u', 'origin', 'main');
  });
  afterEach(() => repo.cleanup());

  it('history lists the commits of the app\'s kustomize tree, bases included, with sha, date, author and files', async () => {
    const run = await runCli(runHistory, ['--repo', repo.root, '--app', 'podinfo']);
    assert.equal(run.code, 0, run.stderr);
    const shas = [...run.stdout.matchAll(/^([0-9a-f]{7,}) {2}/gm)].map((m) => m[1]);
    assert.deepEqual(shas, [app.image, app.stagingAndReadme, app.replicas, app.add].map((sha) => sha.slice(0, shas[0]?.length)));
    assert.match(run.stdout, /Ada Author {2}podinfo staging: label, and a README line\n\s+apps\/staging\/podinfo\/kustomization.yaml \(\+1 other file\)/);
    const json = JSON.parse((await runCli(runHistory, ['--repo', repo.root, '--app', 'podinfo', '--json', '--max', '1'])).stdout);
    assert.equal(json.commits.length, 1);
    assert.equal(json.commits[0].sha, app.image);
  });

  it('rollback --to with --yes commits one revert of every later app commit and pushes it on a new branch', async () => {
    const run = await runCli(runRollback, ['--repo', repo.root, '--app', 'podinfo', '--to', app.add, '--yes', '--push']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(repo.read('apps/base/podinfo/deployment.yaml'), deployment(1, 'ghcr.io/stefanprodan/podinfo:6.4.0'));
    const head = repo.git('rev-parse', 'HEAD').trim();
    assert.match(repo.git('log', '-1', '--format=%s'), /^Roll back podinfo to [0-9a-f]{7} "Add podinfo and redis"/);
    const branch = `driftline/rollback-podinfo-${head.slice(0, 7)}`;
    assert.match(run.stdout, new RegExp(`Pushed ${head.slice(0, 7)} to origin as branch ${branch}`));
    assert.match(repo.git('ls-remote', repo.remote), new RegExp(`^${head}\\trefs/heads/${branch}$`, 'm'));
    assert.match(run.stdout, /To apply it: driftline sync --env staging --app podinfo/);
  });

  it('rollback --revert --paths-only --push BRANCH reverts only the app\'s files and pushes that branch', async () => {
    const run = await runCli(runRollback, ['--repo', repo.root, '--app', 'podinfo', '--revert', app.stagingAndReadme, '--paths-only', '--push', 'review/podinfo', '--yes']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(repo.read('README.md'), 'Fleet of podinfo and redis\n');
    assert.equal(repo.read('apps/staging/podinfo/kustomization.yaml'), 'resources:\n  - ../../base/podinfo\nnamespace: podinfo\n');
    assert.match(repo.git('ls-remote', repo.remote), /refs\/heads\/review\/podinfo$/m);
  });

  it('without --yes and no terminal, or in a protected environment without --yes, commits nothing', async () => {
    const head = repo.git('rev-parse', 'HEAD');
    const noTerminal = await runCli(runRollback, ['--repo', repo.root, '--app', 'podinfo', '--revert', app.replicas]);
    assert.equal(noTerminal.code, 2);
    assert.match(noTerminal.stderr, /without --yes/);
    const protectedEnv = await runCli(runRollback, ['--repo', repo.root, '--app', 'podinfo-prod', '--revert', app.replicas], { typed: 'y' });
    assert.equal(protectedEnv.code, 2);
    assert.match(protectedEnv.stderr, /Environment production is protected: .*run again with --yes/);
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
  });

  it('a dirty working tree is refused with the file named', async () => {
    repo.write('apps/base/podinfo/deployment.yaml', 'local edit\n');
    const run = await runCli(runRollback, ['--repo', repo.root, '--app', 'podinfo', '--revert', app.replicas, '--yes']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /driftline rollback: Cannot revert .* uncommitted changes in apps\/base\/podinfo\/deployment.yaml/);
    assert.equal(repo.read('apps/base/podinfo/deployment.yaml'), 'local edit\n');
  });

  it('needs exactly one of --revert and --to', async () => {
    const run = await runCli(runRollback, ['--repo', repo.root, '--app', 'podinfo']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /give exactly one of --revert SHA and --to SHA/);
  });
});
