import * as assert from 'node:assert/strict';
import { revertCommit, rollbackTo } from '../../../src/core/git';
import { AppHistoryFixture, buildAppHistory, deployment } from './appFixture';
import { GitFixture, makeGitFixture, settleIndex, snapshotRepo } from './gitFixture';

describe('core/git revertCommit and rollbackTo', () => {
  let repo: GitFixture;
  let app: AppHistoryFixture;
  beforeEach(() => {
    repo = makeGitFixture();
    app = buildAppHistory(repo);
  });
  afterEach(() => repo.cleanup());

  const head = (): string => repo.git('rev-parse', 'HEAD').trim();
  const status = (): string => repo.git('status', '--porcelain');

  it('reverts one commit as a new commit on the current branch, keeping later changes', async () => {
    const before = head();
    const result = await revertCommit(repo.root, app.replicas);
    assert.equal(head(), result.sha);
    assert.equal(repo.git('rev-parse', 'HEAD~1').trim(), before);
    assert.equal(repo.git('symbolic-ref', 'HEAD').trim(), 'refs/heads/main');
    assert.equal(repo.read('apps/base/podinfo/deployment.yaml'), deployment(1, 'ghcr.io/stefanprodan/podinfo:6.5.0'));
    assert.equal(repo.git('log', '-1', '--format=%B').trim(), `Revert "podinfo: two replicas"\n\nThis reverts commit ${app.replicas}.`);
    assert.deepEqual(result.files, ['apps/base/podinfo/deployment.yaml']);
    assert.equal(status(), '');
  });

  it('restricted to the app\'s paths, leaves the commit\'s other changes in place', async () => {
    const result = await revertCommit(repo.root, app.stagingAndReadme, { paths: app.appPaths });
    assert.equal(repo.read('README.md'), 'Fleet of podinfo and redis\n');
    assert.equal(repo.read('apps/staging/podinfo/kustomization.yaml'), 'resources:\n  - ../../base/podinfo\nnamespace: podinfo\n');
    assert.deepEqual(result.files, ['apps/staging/podinfo/kustomization.yaml']);
    assert.match(result.message, /Only changes inside the app's paths were reverted: apps\/base\/podinfo\/deployment.yaml/);
  });

  it('without the restriction, reverts every file of the commit', async () => {
    await revertCommit(repo.root, app.stagingAndReadme);
    assert.equal(repo.read('README.md'), 'Fleet\n');
  });

  it('refuses a paths-only revert of a commit that did not touch the app', async () => {
    await assert.rejects(revertCommit(repo.root, app.redis, { paths: app.appPaths }), /did not change any of the app's files/);
  });

  it('rolls the app back to a commit by reverting each later app commit, newest first, in one commit', async () => {
    const before = head();
    const result = await rollbackTo(repo.root, app.add, app.appPaths, { appName: 'podinfo' });
    assert.equal(repo.git('rev-parse', 'HEAD~1').trim(), before, 'exactly one new commit');
    assert.equal(repo.read('apps/base/podinfo/deployment.yaml'), deployment(1, 'ghcr.io/stefanprodan/podinfo:6.4.0'));
    assert.equal(repo.read('apps/staging/podinfo/kustomization.yaml'), 'resources:\n  - ../../base/podinfo\nnamespace: podinfo\n');
    assert.equal(repo.read('apps/base/redis/deployment.yaml'), 'kind: Deployment\nimage: redis:7.2\n', 'the other app keeps its change');
    const short = (sha: string): string => sha.slice(0, 7);
    assert.equal(
      repo.git('log', '-1', '--format=%B').trim(),
      [
        `Roll back podinfo to ${short(app.add)} "Add podinfo and redis"`,
        '',
        'Reverts these commits, newest first:',
        `- ${short(app.image)} podinfo: 6.5.0`,
        `- ${short(app.stagingAndReadme)} podinfo staging: label, and a README line`,
        `- ${short(app.replicas)} podinfo: two replicas`,
      ].join('\n'),
    );
    assert.deepEqual(result.reverted.map((c) => c.sha), [app.image, app.stagingAndReadme, app.replicas]);
  });

  it('a rollback restricted to the app\'s paths succeeds where a whole-commit rollback conflicts elsewhere', async () => {
    repo.commit('README: reword', { 'README.md': 'The fleet: podinfo and redis\n' });
    settleIndex(repo);
    const before = snapshotRepo(repo);
    await assert.rejects(rollbackTo(repo.root, app.add, app.appPaths), /conflicts with later changes in README.md/);
    assert.deepEqual(snapshotRepo(repo), before);

    await rollbackTo(repo.root, app.add, app.appPaths, { pathsOnly: true });
    assert.equal(repo.read('README.md'), 'The fleet: podinfo and redis\n');
    assert.equal(repo.read('apps/base/podinfo/deployment.yaml'), deployment(1, 'ghcr.io/stefanprodan/podinfo:6.4.0'));
  });

  it('on conflict leaves HEAD, index and working tree byte-for-byte as they were, untracked files included', async () => {
    repo.commit('podinfo: three replicas', { 'apps/base/podinfo/deployment.yaml': deployment(3, 'ghcr.io/stefanprodan/podinfo:6.5.0') });
    repo.commit('ignore local env files', { '.gitignore': '*.env\n' });
    repo.write('notes.txt', 'my untracked notes\n');
    repo.write('local.env', 'TOKEN=ignored-but-precious\n');
    settleIndex(repo);
    const before = snapshotRepo(repo);

    await assert.rejects(
      revertCommit(repo.root, app.replicas),
      (error: Error) => {
        assert.match(error.message, new RegExp(`Reverting ${app.replicas.slice(0, 7)} "podinfo: two replicas" conflicts`));
        assert.match(error.message, /apps\/base\/podinfo\/deployment.yaml/);
        assert.match(error.message, /Nothing was changed/);
        return true;
      },
    );
    assert.deepEqual(snapshotRepo(repo), before);
    assert.equal(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 1, 'no scratch worktree left');
  });

  it('refuses a dirty working tree with a message naming the changed file, and changes nothing', async () => {
    repo.write('apps/base/podinfo/deployment.yaml', 'edited but not committed\n');
    settleIndex(repo);
    const before = snapshotRepo(repo);
    await assert.rejects(revertCommit(repo.root, app.replicas), /uncommitted changes in apps\/base\/podinfo\/deployment.yaml\. Commit or stash them first/);
    assert.deepEqual(snapshotRepo(repo), before);
  });

  it('refuses staged changes too', async () => {
    repo.write('README.md', 'staged\n');
    repo.git('add', 'README.md');
    await assert.rejects(rollbackTo(repo.root, app.add, app.appPaths), /uncommitted changes in README.md\./);
  });

  it('names an unknown commit and the repository', async () => {
    await assert.rejects(revertCommit(repo.root, 'deadbeef'), new RegExp(`No commit deadbeef in ${repo.root}`));
  });

  it('refuses a commit that is not in the current branch\'s history', async () => {
    repo.git('checkout', '--quiet', '-b', 'side', app.add);
    const side = repo.commit('side work', { 'apps/base/podinfo/deployment.yaml': deployment(5, 'x') });
    repo.git('checkout', '--quiet', 'main');
    await assert.rejects(revertCommit(repo.root, side), /is not in the history of the current branch/);
  });

  it('says there is nothing to roll back when no later commit touched the app', async () => {
    await assert.rejects(rollbackTo(repo.root, app.image, app.appPaths), /Nothing to roll back: no commit after/);
  });
});
