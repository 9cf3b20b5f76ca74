// The workspace a write command (sync, suspend, resume, history, rollback) works on, from --repo and
// --kubeconfig: the same model, tool paths and contexts `driftline status` uses for that repo.
import path from 'node:path';
import { Workspace } from '../core/workspace';
import { reportFetches } from './fetchProgress';
import { stringFlag, type Flags } from './flags';
import type { CliIO } from './io';

/** Runs `work` on the workspace of the flags and drops its cluster connections afterwards; with `io`, fetches of remote sources show on its stderr. */
export async function withWorkspace<T>(flags: Flags, work: (workspace: Workspace) => Promise<T>, io?: CliIO): Promise<T> {
  const workspace = new Workspace({
    repoRoot: path.resolve(stringFlag(flags, 'repo') ?? process.cwd()),
    kubeconfig: stringFlag(flags, 'kubeconfig'),
  });
  if (io) reportFetches(workspace.sourceFetches, io.stderr);
  try {
    return await work(workspace);
  } finally {
    workspace.close();
  }
}
