// A revision only the remote has: a pull request's head (GitHub's refs/pull/N/head, GitLab's
// refs/merge-requests/N/head), which CI clones and `git clone` never fetch, or a branch not fetched yet. It is
// fetched into a private ref that is deleted again at once: the objects stay for the preview, and the user's
// branches, remote-tracking refs and FETCH_HEAD are not touched.
import { runTool } from '../render/runTool';
import type { Repo } from '../git/repo';

export type FetchedRevision = { commit: string } | { failure?: string };

/** The commit `ref` names on the repository's remote (origin, else its only remote); `failure` says why not. */
export async function fetchRevision(repo: Repo, ref: string, signal?: AbortSignal): Promise<FetchedRevision> {
  const remotes = (await git(repo, ['remote'], signal)).stdout.split('\n').filter(Boolean);
  const remote = remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : undefined;
  if (!remote) return {};
  const url = (await git(repo, ['remote', 'get-url', remote], signal)).stdout.trim();
  const into = `refs/driftline/preview/${process.pid}-${Date.now()}`;
  const fetch = await git(repo, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--end-of-options', remote, `+${ref}:${into}`], signal);
  if (fetch.code !== 0) return { failure: `remote ${remote} (${url}): ${lastLine(fetch.stderr) || `git fetch exited ${fetch.code}`}` };
  try {
    const commit = await git(repo, ['rev-parse', '--verify', '--quiet', `${into}^{commit}`], signal);
    return commit.code === 0 ? { commit: commit.stdout.trim() } : { failure: `remote ${remote} (${url}): ${ref} is not a commit` };
  } finally {
    await git(repo, ['update-ref', '-d', into]);
  }
}

function git(repo: Repo, args: string[], signal?: AbortSignal) {
  return runTool('git', args, { cwd: repo.root, signal, label: 'git', env: { GIT_TERMINAL_PROMPT: '0' } });
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
