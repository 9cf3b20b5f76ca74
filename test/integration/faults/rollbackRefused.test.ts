// Fault: `driftline rollback` in a repository that is in the middle of something: a merge or a rebase (stopped
// at a conflict, or at an `edit` step with a clean tree), a cherry-pick, or uncommitted changes in the app's
// files. Rollback refuses, naming the operation (and how to finish or abort it) or the files, and the
// repository is byte for byte what it was: every file under it, .git included, hashed before and after.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runRollback } from '../../../src/cli/rollback';
import { deployment, type AppHistoryFixture } from '../git/appFixture';
import type { GitFixture } from '../git/gitFixture';
import { runCli } from '../sync/runCli';
import { faultSuite } from './faultCluster';
import { makeRollbackRepo } from './rollbackRepo';


/** Path, mode and content hash of every file and symlink under `root`, .git included. */
function hashTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      const full = path.join(root, relative);
      if (entry.isDirectory()) {
        files.set(`${relative}/`, (fs.lstatSync(full).mode & 0o7777).toString(8));
        walk(relative);
      } else if (entry.isSymbolicLink()) {
        files.set(relative, `-> ${fs.readlinkSync(full)}`);
      } else {
        const mode = (fs.lstatSync(full).mode & 0o7777).toString(8);
        files.set(relative, `${mode} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`);
      }
    }
  };
  walk('');
  return files;
}

function assertUnchanged(before: Map<string, string>, after: Map<string, string>): void {
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file));
  assert.deepEqual(changed, [], `files changed, added or removed under the repository: ${changed.join(', ')}`);
}

describe('faults: rollback in a repository in the middle of a merge or rebase, or with uncommitted changes', function () {
  this.timeout(60_000);
  faultSuite();
  let repo: GitFixture;
  let app: AppHistoryFixture;

  beforeEach(() => {
    ({ repo, app } = makeRollbackRepo());
  });
  afterEach(() => repo.cleanup());

  /** `driftline rollback --yes` to the app's first commit: refused, naming `expected`, nothing changed. */
  async function assertRefused(expected: RegExp): Promise<void> {
    const before = hashTree(repo.root);
    const run = await runCli(runRollback, ['--repo', repo.root, '--app', 'podinfo', '--to', app.add, '--yes']);
    assert.equal(run.code, 2, `refused:\n${run.stdout}${run.stderr}`);
    assert.match(run.stderr, expected);
    assert.doesNotMatch(run.stdout, /Committed/);
    assertUnchanged(before, hashTree(repo.root));
  }

  /** A branch whose commit changes the deployment differently from main's latest commit. */
  function conflictingBranch(): void {
    repo.git('checkout', '--quiet', '-b', 'other', app.image);
    repo.commit('podinfo: 7.0 on the other branch', { 'apps/base/podinfo/deployment.yaml': deployment(2, 'ghcr.io/stefanprodan/podinfo:7.0.0') });
    repo.git('checkout', '--quiet', 'main');
    repo.commit('podinfo: 6.6 on main', { 'apps/base/podinfo/deployment.yaml': deployment(2, 'ghcr.io/stefanprodan/podinfo:6.6.0') });
  }

  const failing = (...args: string[]) => {
    try {
      repo.git(...args);
    } catch {
      return;
    }
    throw new Error(`git ${args.join(' ')} was expected to stop at a conflict`);
  };

  it('a merge stopped at a conflict: refused, naming the merge and the conflicted file', async () => {
    conflictingBranch();
    failing('merge', '--quiet', 'other');
    await assertRefused(new RegExp(`Cannot roll back to ${app.add}: a merge is in progress in ${repo.root} \\(finish it with git commit, or git merge --abort\\)` +
      '.*apps/base/podinfo/deployment.yaml'));
  });

  it('a rebase stopped at a conflict: refused, naming the rebase', async () => {
    conflictingBranch();
    failing('rebase', '--quiet', 'other');
    await assertRefused(/a rebase is in progress in .* \(git rebase --continue, or git rebase --abort\)/);
  });

  it('a rebase stopped at an edit step, with a clean working tree: refused, naming the rebase', async () => {
    // The sequence editor marks the first commit to replay `edit`: the rebase stops there.
    repo.git('-c', "sequence.editor=sed -i -e '1s/^pick/edit/'", 'rebase', '--quiet', '-i', app.replicas);
    assert.equal(repo.git('status', '--porcelain', '--untracked-files=no'), '', 'the tree is clean: only the rebase is in progress');
    await assertRefused(/a rebase is in progress in .* \(git rebase --continue, or git rebase --abort\)/);
  });

  it('a cherry-pick stopped at a conflict: refused, naming the cherry-pick', async () => {
    conflictingBranch();
    failing('cherry-pick', 'other');
    await assertRefused(/a cherry-pick is in progress in .* \(git cherry-pick --continue, or git cherry-pick --abort\)/);
  });

  it('uncommitted changes in the app\'s files, staged and not: refused, naming them', async () => {
    repo.write('apps/base/podinfo/deployment.yaml', deployment(5, 'ghcr.io/stefanprodan/podinfo:6.5.0'));
    repo.write('apps/staging/podinfo/kustomization.yaml', 'resources:\n  - ../../base/podinfo\nnamespace: changed\n');
    repo.git('add', 'apps/staging/podinfo/kustomization.yaml');
    await assertRefused(/uncommitted changes in (apps\/base\/podinfo\/deployment\.yaml, apps\/staging\/podinfo\/kustomization\.yaml|apps\/staging\/podinfo\/kustomization\.yaml, apps\/base\/podinfo\/deployment\.yaml)\. Commit or stash them first/);
  });
});
