// Fetched charts on disk, shared by the CLI and VS Code (one folder per user, not per repo). Archives are
// content-addressed by their sha256 (`charts/<digest>.tgz`): the same chart from two repositories or two refs is
// stored once and an archive is never rewritten in place. Beside them, what each request last resolved to
// (`resolved/<hash of source, chart, requested version>.json`), which is what an offline refresh falls back
// to. Writes go to a temporary file renamed into place, so two processes filling the cache at once never see
// half an archive. Past the size limit, the archives used longest ago go first.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What one request (source + chart + requested version) resolved to when it was last fetched. */
export interface ResolvedChart {
  /** Repository URL (`https://...` or `oci://...`). */
  source: string;
  chart: string;
  /** The version the user asked for (a range, `*`, or exact). */
  requested: string;
  version: string;
  /** sha256 hex of the archive. */
  digest: string;
  /** When it was fetched from the source (ms since epoch). */
  fetchedAt: number;
}

export const DEFAULT_CACHE_MAX_BYTES = 1024 * 1024 * 1024;

type Env = Record<string, string | undefined>;

/** $DRIFTLINE_SOURCES_CACHE, else `$XDG_CACHE_HOME/driftline/sources`, else `~/.cache/driftline/sources`. */
export function defaultCacheRoot(env: Env = process.env): string {
  if (env.DRIFTLINE_SOURCES_CACHE) return env.DRIFTLINE_SOURCES_CACHE;
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'driftline', 'sources');
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export class SourceCache {
  constructor(readonly root: string = defaultCacheRoot(), readonly maxBytes: number = DEFAULT_CACHE_MAX_BYTES) {}

  /** Where the archive with this digest is (whether or not it is there). */
  archivePath(digest: string): string {
    return path.join(this.root, 'charts', `${digest}.tgz`);
  }

  /** The archive's path when the cache holds it (and marks it used, for the size limit). */
  async archive(digest: string): Promise<string | undefined> {
    const file = this.archivePath(digest);
    const now = new Date();
    try {
      await fs.utimes(file, now, now);
      return file;
    } catch {
      return undefined;
    }
  }

  /** Stores an archive under its digest; returns its path. */
  async storeArchive(data: Buffer): Promise<{ digest: string; file: string }> {
    const digest = sha256(data);
    const file = this.archivePath(digest);
    if (!(await this.archive(digest))) {
      await writeAtomically(file, data);
      await this.enforceLimit(file);
    }
    return { digest, file };
  }

  async resolved(source: string, chart: string, requested: string): Promise<ResolvedChart | undefined> {
    try {
      return JSON.parse(await fs.readFile(this.resolvedPath(source, chart, requested), 'utf8')) as ResolvedChart;
    } catch {
      return undefined;
    }
  }

  async remember(entry: ResolvedChart): Promise<void> {
    await writeAtomically(this.resolvedPath(entry.source, entry.chart, entry.requested), Buffer.from(JSON.stringify(entry)));
  }

  /** Removes everything the cache holds; returns how many files and bytes went. */
  async clear(): Promise<{ files: number; bytes: number }> {
    const files = await listFiles(this.root);
    await fs.rm(this.root, { recursive: true, force: true });
    return { files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
  }

  private resolvedPath(source: string, chart: string, requested: string): string {
    return path.join(this.root, 'resolved', `${sha256(`${source}\n${chart}\n${requested}`)}.json`);
  }

  /** Deletes the archives used longest ago until the cache fits its limit (never the one just stored). */
  private async enforceLimit(keep: string): Promise<void> {
    const archives = await listFiles(path.join(this.root, 'charts'));
    let total = archives.reduce((sum, file) => sum + file.size, 0);
    for (const file of archives.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
      if (total <= this.maxBytes) break;
      if (file.path === keep) continue;
      await fs.rm(file.path, { force: true });
      total -= file.size;
    }
  }
}

async function writeAtomically(file: string, data: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(temporary, data);
  await fs.rename(temporary, file);
}

async function listFiles(folder: string): Promise<{ path: string; size: number; mtimeMs: number }[]> {
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat) files.push({ path: file, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  return files;
}
