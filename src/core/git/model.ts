// Typed results of Driftline's git operations.

/** One commit of an app's history. */
export interface CommitInfo {
  sha: string;
  shortSha: string;
  author: string;
  authorEmail: string;
  /** Author date, ISO 8601 with offset. */
  date: string;
  /** Subject line. */
  message: string;
  parents: string[];
  /** Every file the commit changed (repo-relative, against its first parent). */
  files: string[];
  /** The changed files inside the app's paths. */
  appFiles: string[];
}

/** A commit Driftline made: the revert or the rollback. */
export interface RevertResult {
  /** The new commit on the current branch. */
  sha: string;
  shortSha: string;
  /** Full commit message. */
  message: string;
  /** The commits it undoes, newest first. */
  reverted: CommitInfo[];
  /** Files the new commit changed. */
  files: string[];
}

export interface PushResult {
  remote: string;
  branch: string;
  sha: string;
}
