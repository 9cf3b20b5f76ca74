// Directory listings shared by discovery and rendering. Version-control and dependency folders are never
// part of what a repo deploys, so they are skipped everywhere.
import { promises as fs } from 'node:fs';
import path from 'node:path';

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.terraform']);

const YAML_EXTENSIONS = ['.yaml', '.yml'];

export function isYamlFile(file: string): boolean {
  return YAML_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** Files of `dir` (absolute paths, sorted), with its subfolders' files when `recurse`. Missing dir: []. */
export async function listFiles(dir: string, recurse: boolean): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isFile()) files.push(full);
    else if (entry.isDirectory() && recurse && !SKIPPED_DIRECTORIES.has(entry.name)) files.push(...await listFiles(full, true));
  }
  return files;
}

/** Subdirectories of `dir` (absolute paths, sorted), skipping hidden and dependency folders. */
export async function listDirectories(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name))
      .map((entry) => path.join(dir, entry.name))
      .sort();
  } catch {
    return [];
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Whether `file` is `dir` or inside it. */
export function isWithin(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
