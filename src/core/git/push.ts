// Publish a rollback for review: push HEAD to a new branch on the repository's real remote.
import { PushResult } from './model';
import { firstLine, GitError, openRepo, Repo } from './repo';

export interface PushOptions {
  /** Default: `driftline/rollback-<app>-<shortsha of HEAD>`. */
  branch?: string;
  /** Default: the current branch's upstream remote, else `origin`, else the only remote. */
  remote?: string;
}

export function rollbackBranchName(app: string, shortSha: string): string {
  const safeApp = app.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'app';
  return `driftline/rollback-${safeApp}-${shortSha}`;
}

/** Pushes HEAD to a branch that must not exist yet on the remote (a review branch is never overwritten). */
export async function pushRollbackBranch(repoRoot: string, app: string, options: PushOptions = {}): Promise<PushResult> {
  const repo = await openRepo(repoRoot);
  const sha = (await repo.git.raw(['rev-parse', 'HEAD'])).trim();
  const branch = options.branch ?? rollbackBranchName(app, sha.slice(0, 7));
  try {
    await repo.git.raw(['check-ref-format', '--branch', branch]);
  } catch {
    throw new GitError(`"${branch}" is not a valid branch name`, repo.root);
  }
  const remote = options.remote ?? (await defaultRemote(repo));
  const existing = await repo.git.raw(['ls-remote', '--heads', remote, `refs/heads/${branch}`]).catch((error: unknown) => {
    throw new GitError(`Cannot reach the remote ${remote} of ${repo.root}: ${firstLine(error)}`, repo.root);
  });
  if (existing.trim()) throw new GitError(`Branch ${branch} already exists on ${remote}; choose another name`, repo.root);
  try {
    await repo.git.raw(['push', '--quiet', remote, `${sha}:refs/heads/${branch}`]);
  } catch (error) {
    throw new GitError(`Cannot push ${branch} to ${remote}: ${firstLine(error)}`, repo.root);
  }
  return { remote, branch, sha };
}

async function defaultRemote(repo: Repo): Promise<string> {
  const upstream = await repo.git.raw(['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']).catch(() => '');
  if (upstream.includes('/')) return upstream.trim().split('/')[0] as string;
  const remotes = (await repo.git.raw(['remote'])).split('\n').filter(Boolean);
  if (remotes.includes('origin')) return 'origin';
  if (remotes.length === 1) return remotes[0] as string;
  throw new GitError(
    remotes.length ? `${repo.root} has several remotes (${remotes.join(', ')}) and none is origin: choose one` : `${repo.root} has no remote to push to`,
    repo.root,
  );
}
