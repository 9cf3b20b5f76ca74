// Opening a repository for Driftline's git operations, and the checks every write starts with.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { simpleGit, SimpleGit } from 'simple-git';
import { messageOf } from '../errors';

/** A git failure, phrased for the user, naming the repository (and commit or path) it is about. */
export class GitError extends Error {
  constructor(message: string, readonly repo: string) {
    super(message);
    this.name = 'GitError';
  }
}

export interface Repo {
  /** Absolute top-level folder of the working tree. */
  root: string;
  git: SimpleGit;
}

/**
 * Git must never wait for a password or an editor nobody sees (VS Code, CI). simple-git also refuses to run
 * at all when an editor variable is set (npm sets EDITOR for its scripts, many shells do too), and our commits
 * always pass their message, so the editor variables are dropped rather than allowed.
 */
function nonInteractiveEnv(): NodeJS.ProcessEnv {
  const { EDITOR: _editor, VISUAL: _visual, GIT_EDITOR: _gitEditor, ...rest } = process.env;
  return { ...rest, GIT_TERMINAL_PROMPT: '0' };
}

export function gitAt(dir: string): SimpleGit {
  return simpleGit({
    baseDir: dir,
    config: ['core.quotepath=off'],
    // simple-git ignores a failing exit code when git printed nothing on stderr (`merge-base --is-ancestor`):
    // every non-zero exit is a failure here.
    errors: (error, result) => {
      if (error || result.exitCode === 0) return error;
      const output = Buffer.concat([...result.stdErr, ...result.stdOut]).toString().trim();
      return new Error(output || `git exited with code ${result.exitCode}`);
    },
  }).env(nonInteractiveEnv());
}

export async function openRepo(dir: string): Promise<Repo> {
  let root: string;
  try {
    root = (await gitAt(dir).raw(['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    throw new GitError(`${dir} is not inside a git repository: ${firstLine(error)}`, dir);
  }
  return { root, git: gitAt(root) };
}

/** Paths as git pathspecs relative to the repository root; refuses paths outside it. */
export function toRepoPaths(repo: Repo, paths: string[]): string[] {
  return paths.map((p) => {
    const relative = path.relative(repo.root, path.resolve(repo.root, p)).split(path.sep).join('/');
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new GitError(`${p} is outside the repository ${repo.root}`, repo.root);
    }
    return relative === '' ? '.' : relative;
  });
}

/** True when `file` (repo-relative) is one of `paths` or lies under one of them. */
export function isUnder(file: string, paths: string[]): boolean {
  return paths.some((p) => p === '.' || file === p || file.startsWith(p.endsWith('/') ? p : `${p}/`));
}

/** Full sha of a commit named by the user, or a message saying it does not exist here. */
export async function resolveCommit(repo: Repo, rev: string): Promise<string> {
  try {
    return (await repo.git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).trim();
  } catch {
    throw new GitError(`No commit ${rev} in ${repo.root}`, repo.root);
  }
}

/** Operations git stops in the middle of, by the file that marks them, and how the user ends each. */
const IN_PROGRESS: { marker: string; what: string; end: string }[] = [
  { marker: 'rebase-merge', what: 'a rebase', end: 'git rebase --continue, or git rebase --abort' },
  { marker: 'rebase-apply/applying', what: 'a git am', end: 'git am --continue, or git am --abort' },
  { marker: 'rebase-apply', what: 'a rebase', end: 'git rebase --continue, or git rebase --abort' },
  { marker: 'MERGE_HEAD', what: 'a merge', end: 'finish it with git commit, or git merge --abort' },
  { marker: 'CHERRY_PICK_HEAD', what: 'a cherry-pick', end: 'git cherry-pick --continue, or git cherry-pick --abort' },
  { marker: 'REVERT_HEAD', what: 'a revert', end: 'git revert --continue, or git revert --abort' },
  { marker: 'BISECT_LOG', what: 'a bisect', end: 'git bisect reset' },
];

/** The merge, rebase, cherry-pick... the repository is in the middle of, if any. */
async function operationInProgress(repo: Repo): Promise<{ what: string; end: string } | undefined> {
  const markers = IN_PROGRESS.map((operation) => operation.marker);
  const paths = (await repo.git.raw(['rev-parse', ...markers.flatMap((marker) => ['--git-path', marker])])).split('\n').filter(Boolean);
  return IN_PROGRESS.find((_operation, index) => paths[index] !== undefined && existsSync(path.resolve(repo.root, paths[index]!)));
}

/**
 * Writes start from a repository that is in the middle of nothing (no merge, rebase, cherry-pick, revert, am or
 * bisect: a commit of ours would land inside it) and from a clean tree, so that nothing the user has not committed
 * can be mixed into (or lost by) a revert. Untracked files are allowed: they are never touched. Reads only: git
 * status runs without optional locks, so it does not even refresh the index.
 */
export async function assertCleanWorkingTree(repo: Repo, action: string): Promise<void> {
  const operation = await operationInProgress(repo);
  const status = (await repo.git.raw(['--no-optional-locks', 'status', '--porcelain', '--untracked-files=no'])).trimEnd();
  // Porcelain lines are `XY path`: keep the paths.
  const files = status ? status.split('\n').map((line) => line.slice(3)) : [];
  const shown = files.slice(0, 5).join(', ');
  const more = files.length > 5 ? ` and ${files.length - 5} more` : '';
  if (operation) {
    throw new GitError(
      `Cannot ${action}: ${operation.what} is in progress in ${repo.root} (${operation.end})` +
        `${files.length ? `; files it left changed: ${shown}${more}` : ''}. Nothing was changed.`,
      repo.root,
    );
  }
  if (!files.length) return;
  throw new GitError(
    `Cannot ${action}: the working tree of ${repo.root} has uncommitted changes in ${shown}${more}. ` +
      'Commit or stash them first.',
    repo.root,
  );
}

export function firstLine(error: unknown): string {
  const text = messageOf(error);
  return text.trim().split('\n')[0] ?? text;
}
