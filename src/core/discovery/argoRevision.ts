// Argo CD deploys an Application from `targetRevision` (a branch, tag or commit); Driftline renders this
// repository's working tree. When the revision is not HEAD, the checked-out branch or the commit checked out,
// the app says so (AppDefinition.revisionNote) instead of pretending the working tree is what Argo CD deploys.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function git(root: string, args: string[]): Promise<string | undefined> {
  try {
    return (await run('git', ['-C', root, ...args])).stdout.trim();
  } catch {
    return undefined;
  }
}

const cache = new Map<string, Promise<string | undefined>>();

/** The commit a revision (branch, tag, commit, `HEAD`) names in the local clone, or its `origin/` branch; undefined when neither. */
export async function revisionCommit(root: string, revision: string): Promise<string | undefined> {
  return await git(root, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]) ??
    await git(root, ['rev-parse', '--verify', '--quiet', `origin/${revision}^{commit}`]);
}

async function computeNote(root: string, revision: string): Promise<string | undefined> {
  const branch = await git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  if (branch !== undefined && (revision === branch || revision === `refs/heads/${branch}`)) return undefined;
  const head = await revisionCommit(root, 'HEAD');
  const target = await revisionCommit(root, revision);
  if (head !== undefined && target === head) return undefined;
  const where = target === undefined ? ' (not in the local clone)' : ` (${target.slice(0, 7)})`;
  return `Argo CD deploys ${revision}${where}; compared at the working tree`;
}

/** Why what Driftline compares may not be what Argo CD deploys, or undefined when the revision is the checkout. */
export function revisionNote(root: string, revision: string | undefined): Promise<string | undefined> {
  if (!revision || revision === 'HEAD') return Promise.resolve(undefined);
  const key = `${root}\u0000${revision}`;
  let note = cache.get(key);
  if (!note) {
    // Shared only while in flight: the checkout moves, and the next discovery must see where it is.
    note = computeNote(root, revision).finally(() => cache.delete(key));
    cache.set(key, note);
  }
  return note;
}
