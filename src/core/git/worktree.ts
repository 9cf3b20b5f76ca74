// A throw-away worktree at HEAD (or another commit). Reverts are prepared there so that a conflict can never
// disturb the user's HEAD, index or working tree: the result reaches them only as a fast-forward, or not at all.
// Branch previews render other revisions there.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitAt, Repo } from './repo';

export interface ScratchWorktree extends Repo {
  /** A folder beside the worktree for patch files. */
  scratchDir: string;
}

export async function withScratchWorktree<T>(repo: Repo, work: (scratch: ScratchWorktree) => Promise<T>, at = 'HEAD'): Promise<T> {
  const scratchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-worktree-'));
  const root = path.join(scratchDir, 'worktree');
  await repo.git.raw(['worktree', 'add', '--detach', '--quiet', root, at]);
  try {
    return await work({ root, git: gitAt(root), scratchDir });
  } finally {
    await repo.git.raw(['worktree', 'remove', '--force', root]).catch(() => undefined);
    await fs.rm(scratchDir, { recursive: true, force: true });
    await repo.git.raw(['worktree', 'prune']).catch(() => undefined);
  }
}
