// An app's history: the commits that touched the files it renders from.
import { CommitInfo } from './model';
import { GitError, isUnder, openRepo, Repo, resolveCommit, toRepoPaths } from './repo';

export interface HistoryOptions {
  /** Newest commits first; at most this many (default 50). */
  maxCount?: number;
  /** Only commits after this one (exclusive), e.g. for "roll back to". */
  since?: string;
}

const RECORD = '\x1e';
const FIELD = '\x1f';
const FORMAT = ['%H', '%h', '%an', '%ae', '%aI', '%s', '%P'].join('%x1f');
const LOG_ARGS = [`--format=${RECORD}${FORMAT}`, '--name-only', '--no-renames', '--first-parent', '--diff-merges=first-parent'];

/**
 * Commits on HEAD that touched any of `paths` (files or folders, absolute or relative to the repo), newest
 * first. `files` lists everything each commit changed, `appFiles` the part inside `paths`.
 */
export async function appHistory(repoRoot: string, paths: string[], options: HistoryOptions = {}): Promise<CommitInfo[]> {
  const repo = await openRepo(repoRoot);
  return commitsTouching(repo, toRepoPaths(repo, paths), options);
}

export async function commitsTouching(repo: Repo, repoPaths: string[], options: HistoryOptions = {}): Promise<CommitInfo[]> {
  if (repoPaths.length === 0) throw new GitError(`No app paths given for the history of ${repo.root}`, repo.root);
  const range = options.since ? `${await resolveCommit(repo, options.since)}..HEAD` : 'HEAD';
  // First-parent history: a merge counts as one change of this branch (reverting it undoes the merged work).
  const args = ['log', ...LOG_ARGS, '--full-diff', range];
  if (options.maxCount !== undefined) args.splice(1, 0, `--max-count=${options.maxCount}`);
  else if (!options.since) args.splice(1, 0, '--max-count=50');
  let output: string;
  try {
    output = await repo.git.raw([...args, '--', ...repoPaths]);
  } catch (error) {
    // An empty repository has no HEAD: no history, not an error.
    if (/does not have any commits|unknown revision|bad default revision/.test(String(error))) return [];
    throw new GitError(`Cannot read the history of ${repo.root}: ${String(error).trim()}`, repo.root);
  }
  return output
    .split(RECORD)
    .filter((record) => record.trim())
    .map((record) => parseCommit(record, repoPaths));
}

/** `apps/x/kustomization.yaml (+1 other file)`: the app's files a commit changed, and how many others. */
export function describeChangedFiles(commit: CommitInfo): string {
  const others = commit.files.length - commit.appFiles.length;
  return `${commit.appFiles.join(', ')}${others ? ` (+${others} other file${others > 1 ? 's' : ''})` : ''}`;
}

/** One commit named by the user (sha, branch, ...), with `appFiles` inside `paths` (default: every file). */
export async function commitInfo(repoRoot: string, rev: string, paths: string[] = ['.']): Promise<CommitInfo> {
  const repo = await openRepo(repoRoot);
  return describeCommit(repo, await resolveCommit(repo, rev), toRepoPaths(repo, paths));
}

/** One commit, with `appFiles` computed against `repoPaths` (it need not have touched them). */
export async function describeCommit(repo: Repo, sha: string, repoPaths: string[]): Promise<CommitInfo> {
  const output = await repo.git.raw(['log', '--max-count=1', ...LOG_ARGS, sha]);
  return parseCommit(output.replace(RECORD, ''), repoPaths);
}

function parseCommit(record: string, repoPaths: string[]): CommitInfo {
  const [header, ...fileLines] = record.split('\n');
  const [sha, shortSha, author, authorEmail, date, message, parents] = (header ?? '').split(FIELD);
  const files = fileLines.map((l) => l.trim()).filter(Boolean);
  return {
    sha: sha ?? '',
    shortSha: shortSha ?? '',
    author: author ?? '',
    authorEmail: authorEmail ?? '',
    date: date ?? '',
    message: message ?? '',
    parents: (parents ?? '').split(' ').filter(Boolean),
    files,
    appFiles: files.filter((f) => isUnder(f, repoPaths)),
  };
}
