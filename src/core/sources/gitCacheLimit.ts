// The Git part of the sources cache kept under its size limit, as the chart archives are: what was used longest
// ago goes first, a whole entry at a time (a bare repository, a commit's checkout, an artifact). Each entry's
// folder carries its last use as its modification time (markUsed), so the order survives restarts and is the
// same for every process sharing the cache. An entry evicted is fetched or made again when next needed.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const DEFAULT_GIT_CACHE_MAX_BYTES = 2 * 1024 * 1024 * 1024;

const ENTRY_FOLDERS = ['repositories', 'checkouts', 'artifacts'];

/** Marks a cache entry used now (a read-only cache cannot be marked: it is used all the same). */
export async function markUsed(folder: string): Promise<void> {
  const now = new Date();
  await fs.utimes(folder, now, now).catch(() => undefined);
}

/** Deletes the entries of `gitRoot` used longest ago until it fits `maxBytes`, never those in `keep`. */
export async function enforceGitCacheLimit(gitRoot: string, maxBytes: number, keep: string[]): Promise<void> {
  const entries: { folder: string; bytes: number; usedAt: number }[] = [];
  for (const kind of ENTRY_FOLDERS) {
    const names = await fs.readdir(path.join(gitRoot, kind)).catch(() => [] as string[]);
    for (const name of names) {
      if (name.endsWith('.tmp') || name.endsWith('.index')) continue; // being made by someone right now
      const folder = path.join(gitRoot, kind, name);
      const stat = await fs.stat(folder).catch(() => undefined);
      if (stat?.isDirectory()) entries.push({ folder, bytes: await bytesIn(folder), usedAt: stat.mtimeMs });
    }
  }
  let total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  const kept = new Set(keep.map((folder) => path.resolve(folder)));
  for (const entry of entries.sort((a, b) => a.usedAt - b.usedAt)) {
    if (total <= maxBytes) break;
    if (kept.has(entry.folder)) continue;
    await fs.rm(entry.folder, { recursive: true, force: true });
    total -= entry.bytes;
  }
}

async function bytesIn(folder: string): Promise<number> {
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  let bytes = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    bytes += (await fs.lstat(path.join(entry.parentPath, entry.name)).catch(() => undefined))?.size ?? 0;
  }
  return bytes;
}
