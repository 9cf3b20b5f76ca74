// What helm-controller reads from a HelmRelease beside its chart: the release name it computes, its valuesFrom
// (each ConfigMap/Secret looked up among the objects the builds of its cluster emit; the others are read live
// when the app renders), its CRD policies, post-renderers and common metadata (api/v2 helmrelease_types.go,
// internal/release/name.go).
import { createHash } from 'node:crypto';
import type { AppDefinition, HelmCrdPolicy, HelmReleaseSettings, HelmValuesReference, KubeObject } from '../model';
import type { BuiltObject } from './fluxBuild';

/** Longest release name helm accepts; helm-controller shortens longer ones (release.ShortenName). */
const MAX_RELEASE_NAME = 53;
const SHORT_HASH = 12;

/**
 * `spec.releaseName`, else `[targetNamespace-]name`, shortened as helm-controller does past 53 characters: the
 * first 40 characters, a hyphen and the first 12 hex digits of the full name's sha256.
 */
export function helmReleaseName(object: KubeObject): string {
  const spec = (object.spec ?? {}) as { releaseName?: unknown; targetNamespace?: unknown };
  const name = typeof spec.releaseName === 'string' && spec.releaseName !== '' ? spec.releaseName
    : typeof spec.targetNamespace === 'string' && spec.targetNamespace !== '' ? `${spec.targetNamespace}-${object.metadata.name}` : object.metadata.name;
  if (name.length <= MAX_RELEASE_NAME) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, SHORT_HASH);
  return `${name.slice(0, MAX_RELEASE_NAME - SHORT_HASH - 1)}-${hash}`;
}

function crdPolicy(value: unknown, fallback: HelmCrdPolicy): HelmCrdPolicy {
  return value === 'Skip' || value === 'Create' || value === 'CreateReplace' ? value : fallback;
}

const stringMap = (value: unknown): Record<string, string> | undefined =>
  (value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, String(entry)])) : undefined);

/**
 * The HelmRelease's settings, its valuesFrom sources found among `built` (what the builds of its cluster emit,
 * `fallbackFile` naming where an object without origin came from). `fetchedChart`: its valuesFiles are files inside it.
 */
export function helmReleaseSettings(object: KubeObject, built: BuiltObject[], fallbackFile: string, fetchedChart: boolean): HelmReleaseSettings | { unknownReason: string } {
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  const chartSpec = ((spec.chart ?? {}) as { spec?: { valuesFiles?: unknown; ignoreMissingValuesFiles?: unknown } }).spec ?? {};
  // A chart in a Git repository takes them as helm values files (discovery resolves them); a fetched one holds them.
  const chartValuesFiles = fetchedChart && Array.isArray(chartSpec.valuesFiles) ? chartSpec.valuesFiles.map(String) : [];
  const namespace = object.metadata.namespace ?? 'default';
  const install = (spec.install ?? {}) as { crds?: unknown };
  const upgrade = (spec.upgrade ?? {}) as { crds?: unknown };
  const postRenderers = (Array.isArray(spec.postRenderers) ? spec.postRenderers : [])
    .map((renderer: { kustomize?: unknown }) => renderer?.kustomize)
    .filter((kustomize): kustomize is Record<string, unknown> => !!kustomize && typeof kustomize === 'object');
  const common = (spec.commonMetadata ?? undefined) as { labels?: unknown; annotations?: unknown } | undefined;
  const valuesFrom = valuesReferences(spec.valuesFrom, namespace, built, fallbackFile);
  if (typeof valuesFrom === 'string') return { unknownReason: `HelmRelease ${namespace}/${object.metadata.name}: ${valuesFrom}` };
  const labels = stringMap(common?.labels);
  const annotations = stringMap(common?.annotations);
  return {
    name: object.metadata.name, namespace, valuesFrom,
    ...(chartValuesFiles.length > 0 ? { chartValuesFiles } : {}),
    ...(chartSpec.ignoreMissingValuesFiles === true ? { ignoreMissingValuesFiles: true } : {}),
    installCrds: crdPolicy(install.crds, 'Create'), upgradeCrds: crdPolicy(upgrade.crds, 'Skip'), postRenderers,
    ...(labels || annotations ? { commonMetadata: { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) } } : {}),
  };
}

/** The references, or why helm-controller refuses them. */
function valuesReferences(entries: unknown, namespace: string, built: BuiltObject[], fallbackFile: string): HelmValuesReference[] | string {
  const references: HelmValuesReference[] = [];
  for (const entry of Array.isArray(entries) ? entries as Record<string, unknown>[] : []) {
    const kind = entry?.kind;
    // helm-controller fails the release on any other kind (ErrUnsupportedRefKind).
    if (kind !== 'ConfigMap' && kind !== 'Secret') return `valuesFrom ${String(entry?.name ?? '(unnamed)')}: kind ${String(kind ?? '(none)')} is not ConfigMap or Secret`;
    const reference: HelmValuesReference = {
      kind, namespace, name: String(entry?.name ?? ''), optional: entry?.optional === true,
      valuesKey: typeof entry?.valuesKey === 'string' && entry.valuesKey !== '' ? entry.valuesKey : 'values.yaml',
      ...(typeof entry?.targetPath === 'string' && entry.targetPath !== '' ? { targetPath: entry.targetPath } : {}),
      ...(entry?.literal === true ? { literal: true } : {}),
    };
    const found = built.find(({ object }) => object.kind === kind && object.apiVersion === 'v1' &&
      object.metadata.name === reference.name && (object.metadata.namespace ?? namespace) === namespace);
    references.push(found ? { ...reference, built: { object: found.object, file: found.origin ?? fallbackFile } } : reference);
  }
  return references;
}

/** The app of a HelmRelease with its settings (sources looked up in `built`), or Unknown saying what helm-controller refuses. */
export function withHelmReleaseSettings(
  app: AppDefinition, object: KubeObject, built: BuiltObject[], fallbackFile: string, sourcesEnvironment?: string,
  chartRefValuesFiles?: { files: string[]; ignoreMissing: boolean },
): AppDefinition {
  if (!app.helm || app.unknownReason) return app;
  const release = helmReleaseSettings(object, built, fallbackFile, !app.helm.chartPath);
  if ('unknownReason' in release) return { ...app, unknownReason: release.unknownReason };
  // A chartRef HelmChart lists them itself (a HelmRelease has either chart.spec or chartRef, never both).
  const chartValues = chartRefValuesFiles
    ? { chartValuesFiles: chartRefValuesFiles.files, ...(chartRefValuesFiles.ignoreMissing ? { ignoreMissingValuesFiles: true } : {}) } : {};
  return { ...app, helm: { ...app.helm, release: { ...release, ...chartValues, ...(sourcesEnvironment ? { sourcesEnvironment } : {}) } } };
}
