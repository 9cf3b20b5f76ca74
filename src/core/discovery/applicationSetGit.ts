// The files of this repository as the ApplicationSet git generator sees them at a revision: at HEAD (or the
// checked-out branch) the working tree's files that git does not ignore, else the revision's tree read from
// the object store (`git ls-tree`, `git show`). Directories are those holding a file, without hidden ones
// (Argo CD's repo-server skips folders whose name starts with a dot).
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RepoFiles {
  /** Repo-relative paths, `/`-separated. */
  files(): string[];
  directories(): string[];
  read(file: string): Promise<string>;
}

async function git(root: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', root, ...args], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

async function walk(root: string, dir = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, dir), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory() && entry.name !== '.git') found.push(...await walk(root, relative));
    else if (entry.isFile()) found.push(relative);
  }
  return found;
}

function filesAndDirectories(list: string[], read: (file: string) => Promise<string>): RepoFiles {
  const files = [...new Set(list)].sort();
  const directories = new Set<string>();
  for (const file of files) {
    const parts = file.split('/').slice(0, -1);
    for (let depth = 1; depth <= parts.length; depth += 1) {
      if (parts[depth - 1].startsWith('.')) break;
      directories.add(parts.slice(0, depth).join('/'));
    }
  }
  return { files: () => files, directories: () => [...directories].sort(), read };
}

/**
 * What the generator would list at `revision` (HEAD, the current branch, or any revision of the local clone).
 * `listings` holds the listings of one expansion: a matrix runs its second generator once per parameter set
 * of the first, and they all read one listing.
 */
export function gitFilesOf(root: string, revision: string, listings?: Map<string, Promise<RepoFiles>>): Promise<RepoFiles> {
  let listing = listings?.get(revision);
  if (!listing) {
    listing = listFiles(root, revision);
    listings?.set(revision, listing);
  }
  return listing;
}

async function listFiles(root: string, revision: string): Promise<RepoFiles> {
  const fromDisk = (file: string) => fs.readFile(path.join(root, file), 'utf8');
  let branch: string;
  try {
    branch = (await git(root, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
  } catch {
    // Not a git repository (or no commit yet): the folder as it is.
    try {
      await git(root, ['rev-parse', '--git-dir']);
    } catch {
      return filesAndDirectories(await walk(root), fromDisk);
    }
    branch = '';
  }
  if (revision === '' || revision === 'HEAD' || revision === branch) {
    const listed = (await git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'])).split('\0').filter(Boolean);
    const present = await Promise.all(listed.map(async (file) => (await fs.stat(path.join(root, file)).then((stat) => stat.isFile(), () => false)) ? file : undefined));
    return filesAndDirectories(present.filter((file): file is string => !!file), fromDisk);
  }
  let commit: string;
  try {
    commit = (await git(root, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`])).trim();
  } catch {
    try {
      commit = (await git(root, ['rev-parse', '--verify', '--quiet', `origin/${revision}^{commit}`])).trim();
    } catch {
      throw new Error('not in the local clone (fetch it to expand this generator)');
    }
  }
  const listed = (await git(root, ['ls-tree', '-r', '-z', '--name-only', commit])).split('\0').filter(Boolean);
  return filesAndDirectories(listed, (file) => git(root, ['show', `${commit}:${file}`]));
}

/**
 * A glob as Argo CD matches it: directories with Go's `path.Match` (`*` and `?` stay within one segment),
 * files as `git ls-files` pathspecs do (`*` also crosses `/`; `**` any depth). `[...]`/`[^...]` classes.
 */
export function globMatcher(pattern: string, crossSlash: boolean): (candidate: string) => boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*' && !crossSlash) {
        // Go's path.Match has no `**`: two stars are two `*`, still within one segment.
        i += 1;
        source += '[^/]*';
      } else if (pattern[i + 1] === '*') {
        i += 1;
        if (pattern[i + 1] === '/') { i += 1; source += '(?:.*/)?'; } else source += '.*';
      } else {
        source += crossSlash ? '.*' : '[^/]*';
      }
    } else if (c === '?') {
      source += crossSlash ? '.' : '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) { source += '\\['; continue; }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^') || body.startsWith('!')) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) {
      i += 1;
      source += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const regex = new RegExp(`^${source}$`);
  return (candidate) => regex.test(candidate);
}
