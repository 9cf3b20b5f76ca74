// What source-controller puts in a GitRepository's artifact, which is what kustomize-controller and
// helm-controller read: the checkout without the files its ignore rules leave out (the default exclusions,
// `spec.ignore`, and each folder's `.sourceignore`). Made once per commit and rules, beside the checkout.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SourceIgnore } from '../render/fluxGenerator';
import { sha256 } from './sourceCache';

export async function gitArtifact(checkout: string, cacheRoot: string, commit: string, ignore = ''): Promise<string> {
  const folder = path.join(cacheRoot, 'git', 'artifacts', sha256(`${commit}\n${ignore}`));
  if (await fs.stat(folder).then(() => true, () => false)) return folder;
  const temporary = `${folder}.${randomBytes(6).toString('hex')}.tmp`;
  const rules = new SourceIgnore(checkout, ignore);
  try {
    await copyKept(checkout, temporary, rules);
    await fs.rename(temporary, folder).catch(async (error: NodeJS.ErrnoException) => {
      if (!await fs.stat(folder).then(() => true, () => false)) throw error; // another process made the same one
    });
  } finally {
    await fs.rm(temporary, { recursive: true, force: true });
  }
  return folder;
}

/** Copies what the rules keep; files are made read-only, since the folder stands for one commit. */
async function copyKept(from: string, to: string, rules: SourceIgnore): Promise<void> {
  await rules.load(from);
  await fs.mkdir(to, { recursive: true });
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (rules.ignores(source, entry.isDirectory())) continue;
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await copyKept(source, target, rules);
    else if (entry.isSymbolicLink()) await fs.symlink(await fs.readlink(source), target);
    else if (entry.isFile()) {
      await fs.copyFile(source, target);
      await fs.chmod(target, 0o444);
    }
  }
}
