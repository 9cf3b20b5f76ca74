// Argo CD directory sources, as its repo-server renders them (findManifests): every `.yaml`, `.yml`, `.json` and
// `.jsonnet` file of the folder (of its subfolders too with `recurse`), kept by `include` and dropped by `exclude`
// (globs on the path relative to the folder), skipping files that carry `+argocd:skip-file-rendering`. YAML and
// JSON files hold manifests; each `.jsonnet` file is evaluated on its own (renderJsonnet.ts).
import path from 'node:path';
import type { AppDefinition, DesiredObject } from '../model';
import { argoGlobMatcher } from './argoGlob';
import { decryptFileText } from './decryptSops';
import { readTextFile } from './fileReads';
import { listFiles } from './listFiles';
import type { DecryptManifest, ToolOptions } from './options';
import { ManifestParseError, parseManifests } from './parseManifests';
import { renderJsonnetFile } from './renderJsonnet';

/** Argo CD's manifest file names: the extension is matched as written (`.YAML` is not one). */
const MANIFEST_FILE = /\.(yaml|yml|json|jsonnet)$/;
const SKIP_MARKER = '+argocd:skip-file-rendering';

export function isJsonnetFile(file: string): boolean {
  return file.endsWith('.jsonnet');
}

/** The files a directory source renders, in Argo CD's walk order. */
export async function directoryFiles(app: Pick<AppDefinition, 'path' | 'recurse' | 'directory'>): Promise<string[]> {
  const include = app.directory?.include ? argoGlobMatcher(app.directory.include) : undefined;
  const exclude = app.directory?.exclude ? argoGlobMatcher(app.directory.exclude) : undefined;
  return (await listFiles(app.path, app.recurse === true)).filter((file) => {
    if (!MANIFEST_FILE.test(path.basename(file))) return false;
    const relative = path.relative(app.path, file);
    return !exclude?.(relative) && (!include || include(relative));
  });
}

/** The objects of a directory source's files, in file order. */
export async function renderDirectory(app: AppDefinition, files: string[], options: ToolOptions, decrypt: DecryptManifest | undefined): Promise<DesiredObject[]> {
  const objects: DesiredObject[] = [];
  for (const file of files) {
    const text = await readTextFile(file);
    if (text.includes(SKIP_MARKER)) continue;
    if (isJsonnetFile(file)) objects.push(...await renderJsonnetFile(app, file, options));
    else objects.push(...manifestsOf(await decryptFileText(text, file, decrypt), file));
  }
  return objects;
}

/** A YAML or JSON file's objects; one that does not parse is an error only when it looks like a manifest, as there. */
function manifestsOf(text: string, file: string): DesiredObject[] {
  try {
    return parseManifests(text, file);
  } catch (error) {
    const looksLikeManifest = ['apiVersion:', 'kind:', 'metadata:'].every((key) => text.includes(key));
    if (error instanceof ManifestParseError && !looksLikeManifest) return [];
    throw error;
  }
}
