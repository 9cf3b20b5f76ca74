// Fetched charts on disk, shared by the CLI and VS Code (one folder per user, not per repo). Archives are
// content-addressed by their sha256 (`charts/<digest>.tgz`): the same chart from two repositories or two refs is
// stored once and an archive is never rewritten in place. Beside them, what each request last resolved to
// (`resolved/<hash of source, chart, requested version>.json`), which is what an offline refresh falls back
// to. Writes go to a temporary file renamed into place, so two processes filling the cache at once never see
// half an archive. Past the size limit, the archives used longest ago go first. A cache folder that cannot be
// written (read-only, full, not a folder) is no failure: what is fetched is kept in a folder of this process's
// own for the rest of the session (removed when it exits), and takeNotice() says so once.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_GIT_CACHE_MAX_BYTES } from './gitCacheLimit';

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
  /** The session's own folder, once the cache folder refused a write. */
  private sessionRoot: string | undefined;
  private notice: string | undefined;

  /** `maxBytes` limits the chart archives, `gitMaxBytes` the Git repositories and checkouts (gitCacheLimit.ts). */
  constructor(readonly root: string = defaultCacheRoot(), readonly maxBytes: number = DEFAULT_CACHE_MAX_BYTES, readonly gitMaxBytes: number = DEFAULT_GIT_CACHE_MAX_BYTES) {}

  /** The archive's path when the cache (or the session's folder) holds it, marked used for the size limit. */
  async archive(digest: string): Promise<string | undefined> {
    for (const root of this.roots()) {
      const file = path.join(root, 'charts', `${digest}.tgz`);
      const now = new Date();
      try {
        await fs.utimes(file, now, now);
        return file;
      } catch {
        // A read-only cache cannot mark its archives used; the archive is there all the same.
        if (await fs.access(file).then(() => true, () => false)) return file;
      }
    }
    return undefined;
  }

  /** Stores an archive under its digest; returns its path. */
  async storeArchive(data: Buffer): Promise<{ digest: string; file: string }> {
    const digest = sha256(data);
    const known = await this.archive(digest);
    if (known) return { digest, file: known };
    const file = await this.write(path.join('charts', `${digest}.tgz`), data);
    if (file.startsWith(this.root)) await this.enforceLimit(file);
    return { digest, file };
  }

  async resolved(source: string, chart: string, requested: string): Promise<ResolvedChart | undefined> {
    for (const root of this.roots()) {
      try {
        return JSON.parse(await fs.readFile(path.join(root, this.resolvedFile(source, chart, requested)), 'utf8')) as ResolvedChart;
      } catch {
        // not in this one
      }
    }
    return undefined;
  }

  async remember(entry: ResolvedChart): Promise<void> {
    await this.write(this.resolvedFile(entry.source, entry.chart, entry.requested), Buffer.from(JSON.stringify(entry)));
  }

  /** Once, after the cache folder refused a write: why, and where fetched charts are kept instead. */
  takeNotice(): string | undefined {
    const notice = this.notice;
    this.notice = undefined;
    return notice;
  }

  /** The session's folder first: what it holds is newer than what the shared cache could not take. */
  private roots(): string[] {
    return this.sessionRoot ? [this.sessionRoot, this.root] : [this.root];
  }

  /** Writes `relative` into the shared cache, or into the session's folder when the cache cannot take it. */
  private async write(relative: string, data: Buffer): Promise<string> {
    if (!this.sessionRoot) {
      try {
        return await writeAtomically(path.join(this.root, relative), data);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (!code || !UNWRITABLE.has(code)) throw error;
        this.sessionRoot = sessionFolder();
        this.notice = `the chart cache ${this.root} cannot be written (${code}): fetched charts are kept for this session only`;
      }
    }
    return writeAtomically(path.join(this.sessionRoot, relative), data);
  }

  /** Removes everything the cache holds; returns how many files and bytes went. */
  async clear(): Promise<{ files: number; bytes: number }> {
    const files = await listFiles(this.root);
    await fs.rm(this.root, { recursive: true, force: true });
    return { files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
  }

  private resolvedFile(source: string, chart: string, requested: string): string {
    return path.join('resolved', `${sha256(`${source}\n${chart}\n${requested}`)}.json`);
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

/** Why a cache folder cannot take a file: read-only, no permission, full, or a file where a folder should be. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EEXIST']);

/** A folder of this process's own, removed when it exits. */
function sessionFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'driftline-sources-'));
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

async function writeAtomically(file: string, data: Buffer): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temporary, data);
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  return file;
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
