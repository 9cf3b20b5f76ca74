// The files of a Git revision as seen from the working tree's folder, without checking the revision out: a file
// the revision has and no change touches is the working tree's own (same content, so read from disk), a changed
// one is read from the object store, anything else is absent. Walking an app's inputs through it gives the
// revision's inputs and input hash in the working tree's paths, which the engine's render cache can answer.
import type { Stats } from 'node:fs';
import path from 'node:path';
import { FileReads } from '../render/fileReads';
import { isWithin } from '../render/listFiles';
import type { Repo } from '../git/repo';

/** What `stat` says of a path the revision has: only the two questions readers ask of it. */
const FILE = { isFile: () => true, isDirectory: () => false } as Stats;
const DIRECTORY = { isFile: () => false, isDirectory: () => true } as Stats;

export class RevisionReads extends FileReads {
  /**
   * @param root the working tree's top folder as the caller names it (the revision's paths are relative to it)
   * @param files the revision's files (absolute, under `root`) with, for those a change touches, their content there
   */
  private readonly byDir = new Map<string, string[]>();

  private constructor(private readonly root: string, private readonly files: Map<string, Buffer | undefined>, private readonly dirs: Set<string>) {
    super();
    // Sorted as listFiles sorts a folder's entries.
    for (const file of [...files.keys()].sort((a, b) => path.basename(a).localeCompare(path.basename(b)))) {
      const dir = path.dirname(file);
      this.byDir.set(dir, [...this.byDir.get(dir) ?? [], file]);
    }
  }

  /**
   * The revision's view, or undefined when it holds what a checkout would not give as plain files (symbolic
   * links, submodules): then only a real checkout says what a tool reads.
   */
  static async of(repo: Repo, commit: string, changedFiles: string[], root = repo.root): Promise<RevisionReads | undefined> {
    const relatives = await plainFilesOf(repo, commit);
    if (!relatives) return undefined;
    const changed = new Set(changedFiles);
    // Read as a checkout would write it (eol and smudge filters applied).
    const contents = new Map(await Promise.all(relatives.filter((relative) => changed.has(relative))
      .map(async (relative) => [relative, await repo.git.binaryCatFile(['--filters', `${commit}:${relative}`])] as const)));
    const files = new Map<string, Buffer | undefined>();
    const dirs = new Set<string>();
    for (const relative of relatives) {
      const file = path.join(root, relative);
      files.set(file, contents.get(relative));
      for (let dir = path.dirname(file); dir !== root && !dirs.has(dir); dir = path.dirname(dir)) dirs.add(dir);
    }
    dirs.add(root);
    return new RevisionReads(root, files, dirs);
  }

  /** The absolute path of a path relative to the repository's top folder. */
  pathOf(relative: string): string {
    return path.join(this.root, relative);
  }

  override read(file: string): Promise<Buffer> {
    const resolved = path.resolve(file);
    if (!isWithin(resolved, this.root)) return super.read(file);
    if (!this.files.has(resolved)) return Promise.reject(Object.assign(new Error(`ENOENT: no such file at the revision: ${file}`), { code: 'ENOENT' }));
    const content = this.files.get(resolved);
    return content ? Promise.resolve(content) : super.read(file);
  }

  override async stat(file: string): Promise<Stats | undefined> {
    const resolved = path.resolve(file);
    if (!isWithin(resolved, this.root)) return super.stat(file);
    return this.files.has(resolved) ? FILE : this.dirs.has(resolved) ? DIRECTORY : undefined;
  }

  override async filesIn(dir: string): Promise<string[]> {
    const resolved = path.resolve(dir);
    if (!isWithin(resolved, this.root)) return super.filesIn(dir);
    return this.byDir.get(resolved) ?? [];
  }
}

/**
 * The paths of the commit's files, relative to the repository, or undefined when it holds anything but plain
 * files. A commit never changes: the last few listings are kept (a preview kept open asks of the same base
 * after every edit).
 */
async function plainFilesOf(repo: Repo, commit: string): Promise<string[] | undefined> {
  const key = `${repo.root}\0${commit}`;
  let listing = recentListings.get(key);
  if (!listing) {
    listing = listPlainFiles(repo, commit);
    recentListings.set(key, listing);
    listing.catch(() => recentListings.delete(key));
    for (const old of [...recentListings.keys()].slice(0, -RECENT_LISTINGS)) recentListings.delete(old);
  }
  return listing;
}

const RECENT_LISTINGS = 4;
const recentListings = new Map<string, Promise<string[] | undefined>>();

async function listPlainFiles(repo: Repo, commit: string): Promise<string[] | undefined> {
  const listing = await repo.git.raw(['ls-tree', '-r', '-z', '--full-tree', commit]);
  const relatives: string[] = [];
  for (const entry of listing.split('\0').filter(Boolean)) {
    const tab = entry.indexOf('\t');
    const [mode] = entry.slice(0, tab).split(' ');
    if (mode !== '100644' && mode !== '100755') return undefined;
    relatives.push(entry.slice(tab + 1));
  }
  return relatives;
}
