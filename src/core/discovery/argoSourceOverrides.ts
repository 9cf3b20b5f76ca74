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

/**
 * The override files of the Application `appName` (in `appNamespace`) in `folder`, in the order they are merged.
 * The repo-server is given the app's instance name: `<name>` for an Application in Argo CD's own namespace,
 * `<namespace>_<name>` for one outside it (apps in any namespace; argocd-image-updater's newer default file).
 * Which namespace Argo CD runs in is not in the repository, so both are read, the namespaced one last.
 */
export function overrideFiles(folder: string, appName: string, appNamespace?: string): string[] {
  const files = [path.join(folder, '.argocd-source.yaml'), path.join(folder, `.argocd-source-${appName}.yaml`)];
  return appNamespace ? [...files, path.join(folder, `.argocd-source-${appNamespace}_${appName}.yaml`)] : files;
}

/**
 * `source` with the override files of `folder` merged in as the repo-server merges them; or why a file cannot
 * be merged (its name first), which fails the app's manifests in Argo CD too.
 */
export async function withSourceOverrides<T extends Record<string, unknown>>(
  source: T, folder: string, app: { name: string; namespace?: string }, reads = new FileReads(),
): Promise<{ source: T } | { error: string }> {
  let merged: Record<string, unknown> = source;
  for (const file of overrideFiles(folder, app.name, app.namespace)) {
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
