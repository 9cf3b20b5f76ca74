// Opening a repository for Driftline's git operations, and the checks every write starts with.
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

/**
 * Writes start from a clean tree so that nothing the user has not committed can be mixed into (or lost by)
 * a revert. Untracked files are allowed: they are never touched.
 */
export async function assertCleanWorkingTree(repo: Repo, action: string): Promise<void> {
  const status = (await repo.git.raw(['status', '--porcelain', '--untracked-files=no'])).trimEnd();
  if (!status) return;
  // Porcelain lines are `XY path`: keep the paths.
  const files = status.split('\n').map((line) => line.slice(3));
  const shown = files.slice(0, 5).join(', ');
  const more = files.length > 5 ? ` and ${files.length - 5} more` : '';
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
