// GitRepository `spec.include`, as source-controller assembles it: the artifact of each included GitRepository
// (from its `fromPath`, default its root) is copied into this one's at `toPath` (default the included
// GitRepository's name), over what is there. The result is a folder of its own in the cache, named by what went
// into it, and never written to again.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sha256 } from './sourceCache';

export interface IncludedArtifact {
  /** The included GitRepository's artifact. */
  folder: string;
  fromPath: string;
  toPath: string;
}

/** A path of an include, inside its artifact: no `..` out of it. */
export function includePath(value: string, what: string): string {
  const normalized = path.posix.normalize(value.replace(/^\.?\/+/, '') || '.');
  if (normalized === '..' || normalized.startsWith('../')) throw new Error(`${what} ${value} leaves the repository`);
  return normalized === '.' ? '' : normalized.replace(/\/+$/, '');
}

export async function artifactWithIncludes(base: string, included: IncludedArtifact[], cacheRoot: string): Promise<string> {
  const folder = path.join(cacheRoot, 'git', 'artifacts', sha256(JSON.stringify([base, included])));
  if (await fs.stat(folder).then(() => true, () => false)) return folder;
  const temporary = `${folder}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.cp(base, temporary, { recursive: true, verbatimSymlinks: true });
    for (const include of included) {
      const from = path.join(include.folder, include.fromPath);
      const to = path.join(temporary, include.toPath);
      await fs.rm(to, { recursive: true, force: true });
      await fs.cp(from, to, { recursive: true, verbatimSymlinks: true });
    }
    await fs.rename(temporary, folder).catch(async (error: NodeJS.ErrnoException) => {
      if (!await fs.stat(folder).then(() => true, () => false)) throw error; // another process made the same one
    });
  } finally {
    await fs.rm(temporary, { recursive: true, force: true });
  }
  return folder;
}
