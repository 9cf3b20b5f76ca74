// The working tree as the editor shows it: what is on disk (uncommitted and untracked files too) with the
// texts of unsaved editor buffers in place of their files. kustomize and helm read files, so this head is a
// scratch worktree at HEAD with the working tree's differences copied in and the buffers written there; the
// user's files are never written, and the scratch folder is removed afterwards, whatever happens.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo';
import { withScratchWorktree } from '../git/worktree';
import { PreviewError } from './previewError';

/** Unsaved editor buffers: repo-relative path (of the git repository) -> the text in the editor. */
export type UnsavedBuffers = ReadonlyMap<string, string>;

/**
 * Runs `work` on a folder holding the working tree with `unsaved` in place of their files. `differences` are
 * the repo-relative paths where the working tree differs from HEAD (changed, deleted or untracked).
 */
export async function withWorkingTreeCopy<T>(repo: Repo, differences: string[], unsaved: UnsavedBuffers, work: (root: string) => Promise<T>): Promise<T> {
  for (const file of unsaved.keys()) {
    if (path.isAbsolute(file) || file.split(/[\\/]/).includes('..')) throw new PreviewError(`unsaved buffer ${file} is not a file of ${repo.root}`);
  }
  return withScratchWorktree(repo, async (scratch) => {
    for (const file of differences) {
      const target = path.join(scratch.root, file);
      const text = await fs.readFile(path.join(repo.root, file)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw new PreviewError(`cannot read ${path.join(repo.root, file)} for the preview of the working tree: ${error.message}`);
      });
      if (text === undefined) await fs.rm(target, { force: true });
      else await writeFile(target, text);
    }
    for (const [file, text] of unsaved) await writeFile(path.join(scratch.root, file), text);
    return work(scratch.root);
  });
}

async function writeFile(file: string, text: string | Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text, { mode: 0o600 });
}
