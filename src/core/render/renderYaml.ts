// Plain YAML folders: every Kubernetes object in the folder's YAML files (multi-document), skipping the
// files that describe how to build rather than what to deploy.
import path from 'node:path';
import type { DesiredObject } from '../model';
import { KUSTOMIZATION_FILE_NAMES } from './kustomizeTree';
import { isYamlFile } from './listFiles';
import { parseManifests } from './parseManifests';
import { decryptFileText } from './decryptSops';
import { readTextFile } from './fileReads';
import type { DecryptManifest } from './options';

const NOT_MANIFEST_NAMES = /^(chart\.ya?ml|chart\.lock|values(?:[.-][^/]*)?\.ya?ml|\.sops\.ya?ml)$/i;

/** Whether a file in a plain YAML folder may hold manifests (Chart.yaml, values files and kustomize's own file do not). */
export function isManifestFile(file: string): boolean {
  const name = path.basename(file);
  return isYamlFile(file) && !KUSTOMIZATION_FILE_NAMES.includes(name) && !NOT_MANIFEST_NAMES.test(name);
}

/** The objects of the given files, in file order; malformed YAML throws naming file and line. */
export async function renderYamlFiles(files: string[], decrypt: DecryptManifest | undefined): Promise<DesiredObject[]> {
  const objects: DesiredObject[] = [];
  for (const file of files.filter(isManifestFile)) {
    const text = await decryptFileText(await readTextFile(file), file, decrypt);
    objects.push(...parseManifests(text, file));
  }
  return objects;
}
