// Publish a rollback for review: push HEAD to a new branch on the repository's real remote. When the push fails
// (the remote unreachable, a hook refusing it, the branch taken meanwhile), the revert commit stays where it is,
// on the local branch, and the message says so and gives the command that pushes it.
import { messageOf } from '../errors';
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
  const local = await localBranch(repo);
  const stays = (why: string) => new GitError(`${why}. The rollback commit ${sha.slice(0, 7)} stays in ${repo.root}${local ? ` on branch ${local}` : ''}, ` +
    `not pushed; to push it yourself: git push ${remote} ${sha}:refs/heads/${branch}`, repo.root);
  const existing = await repo.git.raw(['ls-remote', '--heads', remote, `refs/heads/${branch}`]).catch((error: unknown) => {
    throw stays(`Cannot reach the remote ${remote} of ${repo.root}: ${firstLine(error)}`);
  });
  if (existing.trim()) throw new GitError(`Branch ${branch} already exists on ${remote}; choose another name`, repo.root);
  try {
    await repo.git.raw(['push', '--quiet', remote, `${sha}:refs/heads/${branch}`]);
  } catch (error) {
    throw stays(`Cannot push ${branch} to ${remote}: ${pushRefusal(error)}`);
  }
  return { remote, branch, sha };
}

/** The current branch, undefined when HEAD is detached. */
async function localBranch(repo: Repo): Promise<string | undefined> {
  const name = (await repo.git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '')).trim();
  return name || undefined;
}

/**
 * Why git push failed, in git's words: the remote's refusal (`! [remote rejected] ... (pre-receive hook
 * declined)`, `! [rejected] ... (non-fast-forward)`) with what the remote's hook printed, else git's first line.
 */
function pushRefusal(error: unknown): string {
  const lines = messageOf(error).split('\n').map((line) => line.trim());
  const said = lines.filter((line) => line.startsWith('remote:')).map((line) => line.slice('remote:'.length).trim()).filter(Boolean);
  // ` ! [rejected] <from> -> <to> (non-fast-forward)`, ` ! [remote rejected] <from> -> <to> (pre-receive hook declined)`
  const rejected = lines.map((line) => line.match(/^!\s+\[(rejected|remote rejected)\]\s.*\(([^)]*)\)$/)).find(Boolean);
  if (!rejected) return firstLine(error);
  const reason = `${rejected[1] === 'rejected' ? 'rejected' : 'the remote refused it'} (${rejected[2]})`;
  return said.length ? `${reason}: ${said.join(' ')}` : reason;
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
