// Argo CD's parameter override files: before it decides a source's type, the repo-server merges
// `.argocd-source.yaml` and then `.argocd-source-<app name>.yaml` from the source's folder into the Application's
// source, each as a JSON merge patch (RFC 7396: maps merge, null removes, anything else replaces), and keeps
// the source's chart, path, repoURL and targetRevision whatever the files say. argocd-image-updater writes
// image tags back this way (`kustomize.images`, `helm.parameters`).
import path from 'node:path';
import { FileReads } from '../render/fileReads';
import { readYamlDocuments } from '../render/parsedYamlFiles';
import { mergeDeep } from './expandApplicationSet';

/** Fields the override files cannot change (repo-server: mergeSourceParameters). */
const KEPT = ['chart', 'path', 'repoURL', 'targetRevision'] as const;

/** The override files of the Application named `appName` in `folder`, in the order they are merged. */
export function overrideFiles(folder: string, appName: string): string[] {
  return [path.join(folder, '.argocd-source.yaml'), path.join(folder, `.argocd-source-${appName}.yaml`)];
}

/**
 * `source` with the override files of `folder` merged in as the repo-server merges them; or why a file cannot
 * be merged (its name first), which fails the app's manifests in Argo CD too.
 */
export async function withSourceOverrides<T extends Record<string, unknown>>(
  source: T, folder: string, appName: string, reads = new FileReads(),
): Promise<{ source: T } | { error: string }> {
  let merged: Record<string, unknown> = source;
  for (const file of overrideFiles(folder, appName)) {
    if (!(await reads.stat(file))?.isFile()) continue;
    let patch: unknown;
    try {
      const documents = await readYamlDocuments(file, reads);
      patch = documents[0]?.value ?? {};
    } catch (error) {
      return { error: (error as Error).message }; // it names the file and line
    }
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      return { error: `${file}: an Argo CD parameter override file is a mapping of source fields (helm:, kustomize:, directory:), not ${Array.isArray(patch) ? 'a list' : typeof patch}` };
    }
    merged = mergeDeep(merged, patch) as Record<string, unknown>;
  }
  if (merged === source) return { source };
  for (const key of KEPT) {
    if (source[key] === undefined) delete merged[key];
    else merged[key] = source[key];
  }
  return { source: merged as T };
}
