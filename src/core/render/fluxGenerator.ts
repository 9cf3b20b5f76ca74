// kustomize-controller's kustomization generator (fluxcd/pkg kustomize/kustomize_generator.go): a Flux
// Kustomization whose `spec.path` has no kustomization.yaml is built from a generated one that lists, walking
// the folder in lexical order, every `.yaml`/`.yml` file and every subfolder that has a kustomization file
// (listed as a folder, not descended into); other files are skipped. The folder is the artifact
// source-controller made from Git, so what `.sourceignore` files (and source-controller's default exclusions)
// leave out is not there at all.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { KUSTOMIZATION_FILE_NAMES } from './kustomizeTree';

/** source-controller's default exclusions (sourceignore.VCSPatterns + ExcludeExt + ExcludeCI + ExcludeExtra). */
const DEFAULT_PATTERNS = [
  '.git/', '.gitignore', '.gitmodules', '.gitattributes',
  '*.jpg', '*.jpeg', '*.gif', '*.png', '*.wmv', '*.flv', '*.tar.gz', '*.zip',
  '.github/', '.circleci/', '.travis.yml', '.gitlab-ci.yml', 'appveyor.yml', '.drone.yml', 'cloudbuild.yaml',
  'codeship-services.yml', 'codeship-steps.yml', '**/.goreleaser.yml', '**/.sops.yaml', '**/.flux.yaml',
];

interface IgnorePattern {
  /** Folder of the .sourceignore it comes from (the repo root for defaults). */
  domain: string;
  regex: RegExp;
  /** Matched against the base name only (no slash in the pattern). */
  basename: boolean;
  negate: boolean;
  dirOnly: boolean;
}

function globToRegex(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (char === '*' && glob[index + 1] === '*') {
      if (glob[index + 2] === '/') {
        source += '(?:.*/)?';
        index += 2;
      } else {
        source += '.*';
        index += 1;
      }
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const end = glob.indexOf(']', index);
      if (end < 0) source += '\\[';
      else {
        source += `[${glob.slice(index + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        index = end;
      }
    } else {
      source += char.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  // A pattern naming a folder also covers everything below it.
  return new RegExp(`^${source}(?:/.*)?$`);
}

/** Patterns of one .sourceignore (gitignore syntax), relative to `domain`. */
export function parseIgnorePatterns(text: string, domain: string): IgnorePattern[] {
  const patterns: IgnorePattern[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    line = line.replace(/^\\([#!])/, '$1');
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const basename = !line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    patterns.push({ domain, regex: globToRegex(line), basename, negate, dirOnly });
  }
  return patterns;
}

/** What source-controller leaves out of the artifact of the repo at `root`. */
export class SourceIgnore {
  private readonly patterns: IgnorePattern[];
  private readonly loaded = new Set<string>();

  constructor(private readonly root: string, extra = '') {
    this.patterns = parseIgnorePatterns([...DEFAULT_PATTERNS, extra].join('\n'), root);
  }

  /** Reads `<dir>/.sourceignore` once (each folder's file applies below that folder). */
  async load(dir: string): Promise<void> {
    if (this.loaded.has(dir)) return;
    this.loaded.add(dir);
    const text = await fs.readFile(path.join(dir, '.sourceignore'), 'utf8').catch(() => undefined);
    if (text !== undefined) this.patterns.push(...parseIgnorePatterns(text, dir));
  }

  /** Loads the .sourceignore files of `dir` and of every folder above it up to the repo root. */
  async loadUpTo(dir: string): Promise<void> {
    const relative = path.relative(this.root, dir);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return;
    let current = this.root;
    await this.load(current);
    for (const part of relative.split(path.sep).filter(Boolean)) {
      current = path.join(current, part);
      await this.load(current);
    }
  }

  /** Whether `file` (a file, or a folder when `isDir`) is left out; its folders are checked by the caller's walk. */
  ignores(file: string, isDir: boolean): boolean {
    let ignored = false;
    for (const pattern of this.patterns) {
      if (pattern.dirOnly && !isDir) continue;
      const relative = path.relative(pattern.domain, file);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      const subject = pattern.basename ? path.basename(file) : relative.split(path.sep).join('/');
      if (pattern.regex.test(subject)) ignored = !pattern.negate;
    }
    return ignored;
  }
}

async function hasKustomizationFile(dir: string): Promise<boolean> {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    if ((await fs.stat(path.join(dir, name)).catch(() => undefined))?.isFile()) return true;
  }
  return false;
}

/**
 * The resources kustomize-controller's generator lists for `folder` (absolute paths, in its order), or
 * undefined when the folder has a kustomization file of its own (then it is built as it is).
 */
export async function generatedResources(folder: string, ignore: SourceIgnore): Promise<string[] | undefined> {
  if (await hasKustomizationFile(folder)) return undefined;
  await ignore.loadUpTo(folder);
  const resources: string[] = [];
  async function walk(dir: string): Promise<void> {
    await ignore.load(dir);
    const entries = (await fs.readdir(dir, { withFileTypes: true }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await fs.stat(file).catch(() => undefined))?.isDirectory() === true);
      if (ignore.ignores(file, isDir)) continue;
      if (isDir) {
        if (await hasKustomizationFile(file)) resources.push(file);
        else await walk(file);
      } else if (/\.ya?ml$/.test(entry.name)) {
        resources.push(file);
      }
    }
  }
  await walk(folder);
  return resources;
}
