// The two sides of a preview as folders to discover and render from: the base revision, and the head (the
// working tree as it is, a revision, or the merge of a revision into the base). Revisions are checked out into
// scratch worktrees, a merge is computed by `git merge-tree --write-tree` in the object store: the user's
// HEAD, index and working tree are never touched, whatever happens.
import { runTool } from '../render/runTool';
import { withScratchWorktree } from '../git/worktree';
import type { Repo } from '../git/repo';
import { fetchRevision } from './fetchRevision';
import { PreviewError } from './previewError';
import type { RevisionInfo } from './model';
import { withWorkingTreeCopy, type UnsavedBuffers } from './workingTreeCopy';

/**
 * What the head of a preview is: the working tree (uncommitted and untracked files too, and the texts of
 * unsaved editor buffers in place of their files), or a Git revision.
 */
export type HeadSpec = { workingTree: true; unsaved?: UnsavedBuffers } | { ref: string; merge: boolean };

/** One side, checked out: where its files are and which commit (or merge) they are. */
export interface Checkout {
  root: string;
  info: RevisionInfo;
}

export interface PreviewCheckouts {
  base: Checkout;
  head: Checkout;
  /** Repo-relative paths that differ between base and head (both sides of a rename): what may need rendering again. */
  changedFiles: string[];
}

/** Runs `work` with both sides checked out; the scratch worktrees are removed afterwards, whatever happens. */
export async function withPreviewCheckouts<T>(
  repo: Repo, baseRef: string, head: HeadSpec, work: (checkouts: PreviewCheckouts) => Promise<T>, signal?: AbortSignal,
): Promise<T> {
  const baseCommit = await resolveRevision(repo, baseRef, signal);
  const base = { ref: baseRef, commit: baseCommit };
  if ('workingTree' in head) {
    const changedFiles = await changedInWorkingTree(repo, baseCommit, signal);
    const unsaved = head.unsaved ?? new Map<string, string>();
    if (unsaved.size === 0) {
      return withScratchWorktree(repo, (scratch) => work({
        base: { root: scratch.root, info: base }, head: { root: repo.root, info: { ref: 'working tree', commit: undefined } }, changedFiles,
      }), baseCommit);
    }
    // Unsaved buffers: the head is a copy of the working tree with their texts (the user's files stay as they are).
    const differences = await changedInWorkingTree(repo, 'HEAD', signal);
    const info: RevisionInfo = { ref: `working tree with ${unsaved.size} unsaved file${unsaved.size === 1 ? '' : 's'}`, commit: undefined };
    return withScratchWorktree(repo, (scratch) => withWorkingTreeCopy(repo, differences, unsaved, (copy) => work({
      base: { root: scratch.root, info: base }, head: { root: copy, info }, changedFiles: [...new Set([...changedFiles, ...unsaved.keys()])],
    })), baseCommit);
  }
  const headCommit = await resolveRevision(repo, head.ref, signal);
  const tree = head.merge ? await mergeTree(repo, baseCommit, headCommit, baseRef, head.ref, signal) : undefined;
  const headInfo: RevisionInfo = { ref: head.ref, commit: headCommit, ...(tree ? { mergedInto: baseRef } : {}) };
  const changedFiles = await changedBetween(repo, baseCommit, tree ?? headCommit, signal);
  return withScratchWorktree(repo, (baseScratch) => withScratchWorktree(repo, async (headScratch) => {
    // The merge result has no commit: its tree is read into a worktree detached at the base.
    if (tree) await git(repo.root, ['-C', headScratch.root, 'read-tree', '-u', '--reset', tree], signal);
    return work({ base: { root: baseScratch.root, info: base }, head: { root: headScratch.root, info: headInfo }, changedFiles });
  }, tree ? baseCommit : headCommit), baseCommit);
}

/**
 * The commit a branch, tag or sha names, fetched from the remote when only the remote has it (a pull request's
 * refs/pull/12/head); a name that is neither says so with the repository and the remote's answer.
 */
export async function resolveRevision(repo: Repo, ref: string, signal?: AbortSignal): Promise<string> {
  const run = await runTool('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: repo.root, signal, label: 'git rev-parse' });
  if (run.code === 0) return run.stdout.trim();
  const fetched = await fetchRevision(repo, ref, signal);
  if ('commit' in fetched) return fetched.commit;
  throw new PreviewError(`no branch, tag or commit "${ref}" in ${repo.root}${fetched.failure ? `, nor on ${fetched.failure}` : ''}`);
}

/**
 * The tree of `head` merged into `base`, or the head's own commit when it already contains the base (a
 * fast-forward). A conflict is an error naming the conflicting files.
 */
async function mergeTree(repo: Repo, base: string, head: string, baseRef: string, headRef: string, signal?: AbortSignal): Promise<string | undefined> {
  const ancestor = await runTool('git', ['merge-base', '--is-ancestor', base, head], { cwd: repo.root, signal, label: 'git merge-base' });
  if (ancestor.code === 0) return undefined;
  const run = await runTool('git', ['merge-tree', '--write-tree', '--name-only', '--no-messages', base, head], { cwd: repo.root, signal, label: 'git merge-tree' });
  const [tree, ...files] = run.stdout.split('\n').filter(Boolean);
  if (run.code === 0 && tree) return tree;
  if (run.code === 1) {
    throw new PreviewError(`${headRef} cannot be merged into ${baseRef} in ${repo.root}: conflicts in ${files.join(', ')} (nothing was changed)`);
  }
  throw new PreviewError(`git merge-tree ${baseRef} ${headRef} failed in ${repo.root}: ${run.stderr.trim() || `exit ${run.code}`}`);
}

async function changedBetween(repo: Repo, from: string, to: string, signal?: AbortSignal): Promise<string[]> {
  return splitPaths(await git(repo.root, ['diff', '--name-only', '-z', '--no-renames', from, to], signal));
}

/** Tracked files that differ from the base (committed or not), and untracked files that are not ignored. */
export async function changedInWorkingTree(repo: Repo, base: string, signal?: AbortSignal): Promise<string[]> {
  const [tracked, untracked] = await Promise.all([
    git(repo.root, ['diff', '--name-only', '-z', '--no-renames', base], signal),
    git(repo.root, ['ls-files', '-z', '--others', '--exclude-standard'], signal),
  ]);
  return [...new Set([...splitPaths(tracked), ...splitPaths(untracked)])];
}

async function git(cwd: string, args: string[], signal?: AbortSignal): Promise<string> {
  // Reads only: without optional locks, `git diff` does not even refresh the user's index.
  const run = await runTool('git', ['--no-optional-locks', ...args], { cwd, signal, label: 'git', env: { GIT_TERMINAL_PROMPT: '0' } });
  if (run.code !== 0) throw new PreviewError(`git ${args.join(' ')} failed in ${cwd}: ${run.stderr.trim() || `exit ${run.code}`}`);
  return run.stdout;
}

function splitPaths(output: string): string[] {
  return output.split('\0').filter(Boolean);
}
