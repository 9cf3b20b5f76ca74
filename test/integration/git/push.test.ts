import * as assert from 'node:assert/strict';
import { pushRollbackBranch, revertCommit } from '../../../src/core/git';
import { buildAppHistory } from './appFixture';
import { GitFixture, makeGitFixture } from './gitFixture';

describe('core/git pushRollbackBranch', () => {
  let repo: GitFixture;
  beforeEach(() => {
    repo = makeGitFixture();
  });
  afterEach(() => repo.cleanup());

  it('pushes the rollback commit to a new driftline/rollback-<app>-<sha> branch on the real remote', async () => {
    const app = buildAppHistory(repo);
    repo.git('push', '--quiet', '-u', 'origin', 'main');
    const revert = await revertCommit(repo.root, app.replicas);
    const pushed = await pushRollbackBranch(repo.root, 'podinfo');
    assert.equal(pushed.branch, `driftline/rollback-podinfo-${revert.sha.slice(0, 7)}`);
    assert.equal(pushed.remote, 'origin');
    const remoteRefs = repo.git('ls-remote', repo.remote);
    assert.match(remoteRefs, new RegExp(`^${revert.sha}\\trefs/heads/${pushed.branch}$`, 'm'));
    assert.match(remoteRefs, new RegExp(`^${app.image}\\trefs/heads/main$`, 'm'), 'main on the remote is untouched');
  });

  it('never overwrites an existing branch on the remote', async () => {
    buildAppHistory(repo);
    await pushRollbackBranch(repo.root, 'podinfo', { branch: 'review/rollback' });
    await assert.rejects(pushRollbackBranch(repo.root, 'podinfo', { branch: 'review/rollback' }), /Branch review\/rollback already exists on origin/);
  });

  it('explains when the repository has no remote', async () => {
    buildAppHistory(repo);
    repo.git('remote', 'remove', 'origin');
    await assert.rejects(pushRollbackBranch(repo.root, 'podinfo'), /has no remote to push to/);
  });
});
