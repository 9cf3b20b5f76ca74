// The part of the extension that is loaded on first use (lazyEngine.ts; bundled apart as dist/engine.js): the
// drift engine and all it stands on (@kubernetes/client-node, discovery, render, git), and the commands that
// write (sync, rollback, suspend/resume, the Argo Rollouts actions). Activation loads none of it; the first
// comparison or command does.
export { createBackend, problemDetector } from './driftBackend';
export { diagnose } from '../core/doctor/diagnose';
export { listKubeContexts } from './kubeContexts';
export { rollbackCommand } from './commands/rollback';
export { rolloutAbortCommand } from './commands/rolloutAbort';
export { rolloutPromoteCommand } from './commands/rolloutPromote';
export { rolloutPromoteFullCommand } from './commands/rolloutPromoteFull';
export { rolloutRestartCommand } from './commands/rolloutRestart';
export { rolloutRetryCommand } from './commands/rolloutRetry';
export { resumeCommand, suspendCommand } from './commands/suspend';
export { syncCommand, syncDryRunCommand } from './commands/sync';
export { previewBranch, previewSummaryLine, listPreviewRefs } from './preview/previewEngine';
