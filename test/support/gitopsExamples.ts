// The real GitOps example repos (read-only, from shared/: see shared.ts), the project's own demo repo's static
// folders (scripts/demo-repo/files), and temporary repos built for one test.
import { promises as fs, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedPath } from './shared';

export const gitopsExamplesDir = sharedPath('gitops-examples');

/** A file or folder of the demo repo's static files (scripts/demo-repo/files), e.g. demoRepoPath('guestbook'). */
export function demoRepoPath(...parts: string[]): string {
  return path.resolve(__dirname, '../../../scripts/demo-repo/files', ...parts);
}

export function examplePath(name: string, ...rest: string[]): string {
  return path.join(gitopsExamplesDir, name, ...rest);
}

const made: string[] = [];

async function makeWritable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeWritable(full);
    else await fs.chmod(full, 0o644);
  }
}

/** A writable copy of a folder in a temp dir (removed by `removeTempRepos`). */
async function copyToTemp(source: string, name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `driftline-${name}-`));
  made.push(dir);
  await fs.cp(source, dir, { recursive: true });
  await makeWritable(dir);
  return dir;
}

/** A writable copy of an example repo in a temp dir (removed by `removeTempRepos`). */
export function copyExample(name: string): Promise<string> {
  return copyToTemp(examplePath(name), name);
}

/** A writable copy of one of the demo repo's static folders, e.g. copyDemoRepoFolder('guestbook'). */
export function copyDemoRepoFolder(...parts: string[]): Promise<string> {
  return copyToTemp(demoRepoPath(...parts), parts[parts.length - 1]);
}

/** A temp repo holding exactly these files (path -> content). */
export async function writeRepo(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-repo-'));
  made.push(dir);
  for (const [file, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await fs.writeFile(path.join(dir, file), content);
  }
  return dir;
}

export async function removeTempRepos(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
}

/** Runs `work` with a PATH that holds only `tools` (say, kubectl but no helm), then restores PATH. */
export async function withToolsOnPath<T>(tools: string[], work: () => Promise<T>): Promise<T> {
  const bin = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-path-'));
  const saved = process.env.PATH;
  for (const tool of tools) {
    const found = (saved ?? '').split(path.delimiter).map((dir) => path.join(dir, tool)).find((file) => existsSync(file));
    if (found) await fs.symlink(found, path.join(bin, tool));
  }
  process.env.PATH = bin;
  try {
    return await work();
  } finally {
    process.env.PATH = saved;
    await fs.rm(bin, { recursive: true, force: true });
  }
}
