// core/git: an app's history, revert and rollback commits, and pushing them for review.
export { appHistory, commitInfo, describeChangedFiles } from './history';
export type { HistoryOptions } from './history';
export { revertCommit, rollbackTo } from './revert';
export type { RevertOptions, RollbackOptions } from './revert';
export { pushRollbackBranch, rollbackBranchName } from './push';
export type { PushOptions } from './push';
export { GitError } from './repo';
export type { CommitInfo, PushResult, RevertResult } from './model';
export { appInputPaths, locateApp } from './appPaths';
export type { AppWithPaths } from './appPaths';
