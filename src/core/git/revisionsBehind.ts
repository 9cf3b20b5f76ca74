// How far a commit a cluster runs is behind this clone: the commits of the remote-tracking branch (or of HEAD
// when the branch tracks none) that it lacks, each marked when it touched the app's files. A commit this clone
// does not have is said so, with what to do: fetch.
import type { RevisionBehind } from '../health/controllerState';
import type { Repo } from './repo';
import { firstLine } from './repo';

const MAX_LISTED = 50;

export type RevisionComparison = { behind: RevisionBehind } | { revisionNote: string };

/**
 * `commit` against `repo`'s branch; `appPaths` (repo-relative, asked only when there are commits behind) mark the
 * commits that touched the app.
 */
export async function compareWithBranch(repo: Repo, commit: string, appPaths: () => Promise<string[]> = async () => []): Promise<RevisionComparison> {
  const short = commit.slice(0, 7);
  if (!(await hasCommit(repo, commit))) return { revisionNote: `${short} is not in this clone: fetch` };
  const upstream = await upstreamOf(repo);
  const ref = upstream ?? 'HEAD';
  try {
    const range = `${commit}..${ref}`;
    const count = Number((await repo.git.raw(['rev-list', '--count', range])).trim());
    const listed = count === 0 ? '' : await repo.git.raw(['log', `--max-count=${MAX_LISTED}`, '--format=%H%x1f%s', range]);
    const paths = count === 0 ? [] : await appPaths();
    const touching = paths.length === 0 ? undefined
      : new Set((await repo.git.raw(['log', '--format=%H', range, '--', ...paths])).split('\n').filter(Boolean));
    const commits = listed.split('\n').filter(Boolean).map((line) => {
      const [sha = '', subject = ''] = line.split('\x1f');
      return { sha, subject, ...(touching ? { touchesApp: touching.has(sha) } : {}) };
    });
    const behind: RevisionBehind = { ref, count, commits };
    if (upstream && (await repo.git.raw(['rev-parse', 'HEAD'])).trim() !== (await repo.git.raw(['rev-parse', upstream])).trim()) {
      behind.headCount = Number((await repo.git.raw(['rev-list', '--count', `${commit}..HEAD`])).trim());
    }
    return { behind };
  } catch (error) {
    return { revisionNote: `cannot compare ${short} with ${ref} in ${repo.root}: ${firstLine(error)}` };
  }
}

async function hasCommit(repo: Repo, commit: string): Promise<boolean> {
  try {
    await repo.git.raw(['cat-file', '-e', `${commit}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** The branch's remote-tracking branch (`origin/main`), when it has one. */
async function upstreamOf(repo: Repo): Promise<string | undefined> {
  try {
    return (await repo.git.raw(['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'])).trim() || undefined;
  } catch {
    return undefined;
  }
}
