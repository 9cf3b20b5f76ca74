// Revert one commit, or roll an app back to a commit by reverting everything after it that touched the app,
// as a single new commit on the current branch.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { commitsTouching, describeCommit } from './history';
import { CommitInfo, RevertResult } from './model';
import { assertCleanWorkingTree, firstLine, GitError, openRepo, Repo, resolveCommit, toRepoPaths } from './repo';
import { ScratchWorktree, withScratchWorktree } from './worktree';

/** git's well-known id of the empty tree: the "parent" of a root commit. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export interface RevertOptions {
  /** Revert only the changes inside these paths (the app's), leaving the commit's other changes in place. */
  paths?: string[];
}

export interface RollbackOptions {
  /** Revert only the changes inside the app's paths of each later commit. */
  pathsOnly?: boolean;
  /** Named in the commit message. */
  appName?: string;
}

export async function revertCommit(repoRoot: string, sha: string, options: RevertOptions = {}): Promise<RevertResult> {
  const repo = await openRepo(repoRoot);
  await assertCleanWorkingTree(repo, `revert ${sha}`);
  const full = await resolveAncestor(repo, sha);
  const restrictTo = options.paths ? toRepoPaths(repo, options.paths) : undefined;
  const info = await describeCommit(repo, full, restrictTo ?? ['.']);
  if (restrictTo && info.appFiles.length === 0) {
    throw new GitError(`Commit ${info.shortSha} "${info.message}" did not change any of the app's files (${restrictTo.join(', ')})`, repo.root);
  }
  const message = [
    `Revert "${info.message}"`,
    '',
    `This reverts commit ${info.sha}.`,
    ...restrictionNote(restrictTo),
  ].join('\n');
  return commitReverts(repo, [info], restrictTo, message);
}

export async function rollbackTo(repoRoot: string, sha: string, appPaths: string[], options: RollbackOptions = {}): Promise<RevertResult> {
  const repo = await openRepo(repoRoot);
  await assertCleanWorkingTree(repo, `roll back to ${sha}`);
  const full = await resolveAncestor(repo, sha);
  const repoPaths = toRepoPaths(repo, appPaths);
  const later = await commitsTouching(repo, repoPaths, { since: full });
  const target = await describeCommit(repo, full, repoPaths);
  if (later.length === 0) {
    throw new GitError(`Nothing to roll back: no commit after ${target.shortSha} touched the app's files (${repoPaths.join(', ')})`, repo.root);
  }
  const restrictTo = options.pathsOnly ? repoPaths : undefined;
  const message = [
    `Roll back ${options.appName ?? 'app'} to ${target.shortSha} "${target.message}"`,
    '',
    'Reverts these commits, newest first:',
    ...later.map((c) => `- ${c.shortSha} ${c.message}`),
    ...restrictionNote(restrictTo),
  ].join('\n');
  return commitReverts(repo, later, restrictTo, message);
}

function restrictionNote(restrictTo: string[] | undefined): string[] {
  return restrictTo ? ['', `Only changes inside the app's paths were reverted: ${restrictTo.join(', ')}`] : [];
}

async function resolveAncestor(repo: Repo, rev: string): Promise<string> {
  const full = await resolveCommit(repo, rev);
  try {
    await repo.git.raw(['merge-base', '--is-ancestor', full, 'HEAD']);
  } catch {
    throw new GitError(`Commit ${rev} is not in the history of the current branch of ${repo.root}`, repo.root);
  }
  return full;
}

/** Applies the inverse of each commit, newest first, in a scratch worktree; commits; fast-forwards HEAD to it. */
async function commitReverts(repo: Repo, commits: CommitInfo[], restrictTo: string[] | undefined, message: string): Promise<RevertResult> {
  const sha = await withScratchWorktree(repo, async (scratch) => {
    for (const commit of commits) await applyInverse(repo, scratch, commit, restrictTo);
    const staged = (await scratch.git.raw(['diff', '--cached', '--name-only'])).trim();
    if (!staged) {
      const names = commits.map((c) => c.shortSha).join(', ');
      throw new GitError(`Reverting ${names} changes nothing: its changes are already undone in ${repo.root}`, repo.root);
    }
    try {
      await scratch.git.raw(['commit', '--quiet', '-m', message]);
    } catch (error) {
      throw new GitError(`Cannot commit the revert in ${repo.root}: ${firstLine(error)}`, repo.root);
    }
    return (await scratch.git.raw(['rev-parse', 'HEAD'])).trim();
  });
  // The user may have edited files meanwhile: check again right before HEAD moves.
  await assertCleanWorkingTree(repo, 'apply the revert commit');
  try {
    await repo.git.raw(['merge', '--ff-only', '--quiet', sha]);
  } catch (error) {
    throw new GitError(`Cannot move ${repo.root} to the revert commit (HEAD changed meanwhile?): ${firstLine(error)}`, repo.root);
  }
  const files = (await repo.git.raw(['diff', '--name-only', `${sha}~1`, sha])).split('\n').filter(Boolean);
  return { sha, shortSha: sha.slice(0, 7), message, reverted: commits, files };
}

async function applyInverse(repo: Repo, scratch: ScratchWorktree, commit: CommitInfo, restrictTo: string[] | undefined): Promise<void> {
  const parent = commit.parents[0] ?? EMPTY_TREE;
  // The diff from the commit back to its parent is the commit's inverse.
  const patch = await scratch.git.raw(['diff', '--binary', '--full-index', '--no-renames', commit.sha, parent, '--', ...(restrictTo ?? ['.'])]);
  if (!patch.trim()) return;
  const patchFile = path.join(scratch.scratchDir, `${commit.sha}.patch`);
  await fs.writeFile(patchFile, patch);
  try {
    await scratch.git.raw(['apply', '--3way', '--index', patchFile]);
  } catch (error) {
    const conflicted = (await scratch.git.raw(['diff', '--name-only', '--diff-filter=U']).catch(() => '')).split('\n').filter(Boolean);
    const where = conflicted.length ? `in ${conflicted.join(', ')}` : `(${firstLine(error)})`;
    throw new GitError(
      `Reverting ${commit.shortSha} "${commit.message}" conflicts with later changes ${where}. ` +
        `Nothing was changed in ${repo.root}; to resolve it by hand, run git revert ${commit.shortSha} there.`,
      repo.root,
    );
  }
}
