// Fault: `driftline rollback --push` whose push the remote rejects: a pre-receive hook that refuses it, and a
// non-fast-forward (someone pushed a branch of that name between Driftline's check and its push). The rollback
// commit stays on the local branch, the remote is unchanged, and the message gives the command that pushes it,
// which works once the remote accepts it. Real git, real bare remotes with real hooks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runRollback } from '../../../src/cli/rollback';
import type { AppHistoryFixture } from '../git/appFixture';
import type { GitFixture } from '../git/gitFixture';
import { runCli } from '../sync/runCli';
import { faultSuite } from './faultCluster';
import { makeRollbackRepo } from './rollbackRepo';

describe('faults: git push of a rollback rejected', function () {
  this.timeout(60_000);
  faultSuite();
  let repo: GitFixture;
  let app: AppHistoryFixture;
  const head = () => repo.git('rev-parse', 'HEAD').trim();
  const remoteRefs = () => repo.git('ls-remote', repo.remote);

  beforeEach(() => {
    ({ repo, app } = makeRollbackRepo());
  });
  afterEach(() => repo.cleanup());

  /** The push command the message gives, run as the user would. */
  function suggestedPush(message: string): string[] {
    const command = message.match(/to push it yourself: git (push \S+ [0-9a-f]{40}:refs\/heads\/\S+)/)?.[1];
    assert.ok(command, `the message gives a push command: ${message}`);
    const [push, ...rest] = command.split(' ');
    return [push!, '--quiet', ...rest];
  }

  it('a pre-receive hook that refuses: the commit stays local, and the message says why and how to push it', async () => {
    const hook = path.join(repo.remote, 'hooks', 'pre-receive');
    fs.writeFileSync(hook, '#!/bin/sh\necho "refusing: pushes to this repository need a change ticket" >&2\nexit 1\n', { mode: 0o755 });
    const before = remoteRefs();
    const run = await runCli(runRollback, ['--repo', repo.root, '--app', 'podinfo', '--revert', app.replicas, '--yes', '--push', 'review/podinfo']);
    assert.equal(run.code, 2, run.stdout);
    const sha = head();
    assert.match(run.stdout, new RegExp(`^Committed ${sha.slice(0, 7)}: Revert "podinfo: two replicas"$`, 'm'));
    assert.match(run.stderr, /Cannot push review\/podinfo to origin: the remote refused it \(pre-receive hook declined\): refusing: pushes to this repository need a change ticket\./);
    assert.match(run.stderr, new RegExp(`The rollback commit ${sha.slice(0, 7)} stays in ${repo.root} on branch main, not pushed; ` +
      `to push it yourself: git push origin ${sha}:refs/heads/review/podinfo`));
    assert.equal(repo.git('log', '-1', '--format=%s').trim(), 'Revert "podinfo: two replicas"', 'the revert commit stays on the local branch');
    assert.equal(repo.git('status', '--porcelain'), '', 'nothing half-done in the working tree');
    assert.equal(remoteRefs(), before, 'the remote is unchanged');

    fs.rmSync(hook);
    repo.git(...suggestedPush(run.stderr));
    assert.match(remoteRefs(), new RegExp(`^${sha}\\trefs/heads/review/podinfo$`, 'm'), 'the given command pushes it once the remote accepts');
  });

  it('a non-fast-forward (the branch appeared on the remote after the check): the commit stays local, the remote branch is not overwritten', async () => {
    // Someone else's work, on the remote under the branch name Driftline is about to use; ls-remote (upload-pack)
    // does not show it, as if it was pushed between Driftline's check and its push.
    repo.git('checkout', '--quiet', '-b', 'someone-else', app.add);
    const theirs = repo.commit('their own review branch', { 'NOTES.md': 'theirs\n' });
    repo.git('push', '--quiet', 'origin', 'someone-else:refs/heads/review/podinfo');
    repo.git('checkout', '--quiet', 'main');
    execInRemote(repo, 'config', 'uploadpack.hideRefs', 'refs/heads/review');
    const run = await runCli(runRollback, ['--repo', repo.root, '--app', 'podinfo', '--revert', app.replicas, '--yes', '--push', 'review/podinfo']);
    assert.equal(run.code, 2, run.stdout);
    const sha = head();
    assert.match(run.stderr, /Cannot push review\/podinfo to origin: rejected \(non-fast-forward\)\./);
    assert.match(run.stderr, new RegExp(`The rollback commit ${sha.slice(0, 7)} stays in ${repo.root} on branch main, not pushed; ` +
      `to push it yourself: git push origin ${sha}:refs/heads/review/podinfo`));
    assert.equal(repo.git('log', '-1', '--format=%s').trim(), 'Revert "podinfo: two replicas"');
    assert.match(execInRemote(repo, 'show-ref', 'refs/heads/review/podinfo'), new RegExp(`^${theirs} `), 'their branch is not overwritten');
  });
});

function execInRemote(repo: GitFixture, ...args: string[]): string {
  return repo.git(`--git-dir=${repo.remote}`, ...args);
}
