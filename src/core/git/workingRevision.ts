// The commit a direct sync applies from: HEAD, marked `-dirty` when the app's files have uncommitted changes
// (what is applied is then not exactly any commit). Outside a git repository there is none.
import { appInputPaths } from './appPaths';
import { openRepo, toRepoPaths } from './repo';
import type { AppDefinition } from '../model';
import { isWithin } from '../render/listFiles';

export async function workingRevision(repoRoot: string, app: AppDefinition): Promise<string | undefined> {
  const repo = await openRepo(repoRoot).catch(() => undefined);
  // An app rendered from another repository's cached checkout is at none of this clone's commits.
  if (!repo || !isWithin(app.path, repo.root)) return undefined;
  let head: string;
  try {
    head = (await repo.git.raw(['rev-parse', '--verify', 'HEAD'])).trim();
  } catch {
    return undefined; // no commit yet
  }
  const paths = toRepoPaths(repo, (await appInputPaths(app).catch(() => [])).filter((file) => isWithin(file, repo.root)));
  if (paths.length === 0) return head;
  const changed = (await repo.git.raw(['status', '--porcelain', '--untracked-files=all', '--', ...paths])).trim();
  return changed ? `${head}-dirty` : head;
}
