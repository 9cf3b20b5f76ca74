// What helm-controller does to helm's output before it applies it (internal/postrender): each
// `postRenderers[].kustomize` in order, run by kustomize on the rendered manifests (patches, the legacy
// patchesStrategicMerge / patchesJson6902, images); then `commonMetadata`; then its origin labels
// `helm.toolkit.fluxcd.io/name|namespace`. Helm itself then marks every object of the release
// (`app.kubernetes.io/managed-by: Helm`, `meta.helm.sh/release-name|namespace`). The chart's crds/ folder is
// none of this: helm installs those CRDs as they are.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { FLUX_HELM_NAME_LABEL, FLUX_HELM_NAMESPACE_LABEL, type HelmReleaseSettings, type KubeObject } from '../model';
import type { ToolOptions } from './options';
import { parseToolOutput } from './parseToolOutput';
import { kustomizeCommand, kustomizeLabel, kustomizeMessage } from './renderKustomize';
import { runTool } from './runTool';
import { maskForTool } from './toolInputMask';

export const HELM_MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const HELM_RELEASE_NAME_ANNOTATION = 'meta.helm.sh/release-name';
export const HELM_RELEASE_NAMESPACE_ANNOTATION = 'meta.helm.sh/release-namespace';

/** A post-renderer kustomize refused (a patch whose target is not there, a malformed patch). */
export class PostRenderError extends Error {
  override readonly name = 'PostRenderError';
}

/** One post-renderer as a kustomization over `resources`: the legacy fields' inline objects as the strings kustomize reads. */
function kustomizationOf(renderer: Record<string, unknown>, resources: string): Record<string, unknown> {
  const kustomization: Record<string, unknown> = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [resources] };
  if (Array.isArray(renderer.patches)) kustomization.patches = renderer.patches;
  if (Array.isArray(renderer.images)) kustomization.images = renderer.images;
  if (Array.isArray(renderer.patchesStrategicMerge)) {
    kustomization.patchesStrategicMerge = renderer.patchesStrategicMerge.map((patch) => (typeof patch === 'string' ? patch : JSON.stringify(patch)));
  }
  if (Array.isArray(renderer.patchesJson6902)) {
    kustomization.patchesJson6902 = renderer.patchesJson6902.map((entry: { target?: unknown; patch?: unknown }) => ({
      target: entry?.target, patch: typeof entry?.patch === 'string' ? entry.patch : JSON.stringify(entry?.patch ?? []),
    }));
  }
  return kustomization;
}

/**
 * `objects` through each kustomize post-renderer in order; `where` names the HelmRelease and its file in errors.
 * kustomize reads them from a temporary folder: Secrets' values and `secretStrings` are written as placeholders only.
 */
export async function runPostRenderers(
  objects: KubeObject[], renderers: Record<string, unknown>[], where: string, secretStrings: string[], options: ToolOptions,
): Promise<KubeObject[]> {
  if (renderers.length === 0) return objects;
  const masked = maskForTool(objects, secretStrings);
  let current = masked.objects;
  for (const [index, renderer] of renderers.entries()) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-postrender-'));
    try {
      await fs.writeFile(path.join(dir, 'manifests.yaml'), current.map((object) => stringify(object, { lineWidth: 0 })).join('---\n'));
      await fs.writeFile(path.join(dir, 'kustomization.yaml'), stringify(kustomizationOf(renderer, 'manifests.yaml'), { lineWidth: 0 }));
      const [command, args] = await kustomizeCommand(options.tools, dir);
      const run = await runTool(command, args, { cwd: dir, timeoutMs: options.timeoutMs, allowTools: options.allowTools, signal: options.signal, label: kustomizeLabel(command, args) });
      if (run.code !== 0) {
        throw new PostRenderError(`${where}: postRenderers[${index}].kustomize does not apply to the chart's objects: ${kustomizeMessage(run.stderr) || `exit ${run.code}`}`);
      }
      current = parseToolOutput(run.stdout, where).map(({ object }) => object);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  return masked.restore(current);
}

function withMetadata(object: KubeObject, labels: Record<string, string>, annotations: Record<string, string>): KubeObject {
  const metadata = { ...object.metadata };
  if (Object.keys(labels).length > 0) metadata.labels = { ...metadata.labels, ...labels };
  if (Object.keys(annotations).length > 0) metadata.annotations = { ...metadata.annotations, ...annotations };
  return { ...object, metadata };
}

/** commonMetadata, then the origin labels, then helm's own marks: the object as helm-controller applies it. */
export function releaseMetadata(object: KubeObject, release: HelmReleaseSettings, releaseName: string, releaseNamespace: string): KubeObject {
  const common = withMetadata(object, release.commonMetadata?.labels ?? {}, release.commonMetadata?.annotations ?? {});
  return withMetadata(common,
    { [FLUX_HELM_NAME_LABEL]: release.name, [FLUX_HELM_NAMESPACE_LABEL]: release.namespace, [HELM_MANAGED_BY_LABEL]: 'Helm' },
    { [HELM_RELEASE_NAME_ANNOTATION]: releaseName, [HELM_RELEASE_NAMESPACE_ANNOTATION]: releaseNamespace });
}
