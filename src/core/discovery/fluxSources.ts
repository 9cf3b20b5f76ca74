// Where a Flux Kustomization's files are in this repo: `spec.path` inside the GitRepository that is this
// repo, or (Flux 2.7) inside an ExternalArtifact that an ArtifactGenerator assembles from this repo's folders,
// which we follow back through the generator's copy rules.
import path from 'node:path';
import type { KubeObject } from '../model';
import { environmentOfPath } from './environmentOfPath';
import type { RepoIdentity } from './repoIdentity';
import { objectsOf, type RepoScan, type ScannedObject } from './scanRepo';

export type SourceResolution = { folder: string } | { unknownReason: string };

interface SourceRef {
  kind?: string;
  name?: string;
  namespace?: string;
}

const SOURCE_GROUP = 'source.toolkit.fluxcd.io';
const GENERATOR_GROUP = 'source.extensions.fluxcd.io';

function namespaceOf(object: KubeObject): string {
  return object.metadata.namespace ?? 'flux-system';
}

function findObject(scan: RepoScan, group: string, kind: string, name: string, namespace: string): ScannedObject | undefined {
  return objectsOf(scan, group, kind).find(({ object }) => object.metadata.name === name && namespaceOf(object) === namespace);
}

/**
 * Whether a GitRepository is this repo: its URL is one of ours, or it is `flux-system`, which `flux bootstrap`
 * always points at the repo holding the cluster folders (and which often is not in the repo at all).
 */
export function gitRepositoryIsThisRepo(scan: RepoScan, identity: RepoIdentity, name: string, namespace: string): true | string {
  const found = findObject(scan, SOURCE_GROUP, 'GitRepository', name, namespace);
  const url = (found?.object.spec as { url?: string } | undefined)?.url;
  if (identity.isThisRepo(url)) return true;
  if (name === 'flux-system') return true;
  if (!found) return `source GitRepository ${namespace}/${name} is not defined in this repository`;
  return `source GitRepository ${namespace}/${name} is another repository (${url}); add its URL to repoURLs in .driftline.yaml if it is this one`;
}

/** Strips `./` and slashes: `./staging/` -> `staging`, `./` -> ``. */
function normalizeRelative(value: string): string {
  return path.posix.normalize(value.replace(/^\.\/?/, '') || '.').replace(/^\.$/, '').replace(/\/+$/, '');
}

interface CopyRule {
  from?: string;
  to?: string;
}

/**
 * The repo folder behind `artifactPath` of one generated artifact: the copy rule whose destination holds it
 * (`@monorepo/apps/staging/**` -> `@artifact/staging/` maps `./staging` to `apps/staging`).
 */
function folderBehindArtifact(scan: RepoScan, identity: RepoIdentity, generator: ScannedObject, artifactName: string, artifactPath: string): SourceResolution {
  const spec = (generator.object.spec ?? {}) as { sources?: (SourceRef & { alias?: string })[]; artifacts?: { name?: string; copy?: CopyRule[] }[] };
  const artifact = spec.artifacts?.find((candidate) => candidate.name === artifactName);
  const wanted = normalizeRelative(artifactPath);
  let best: { alias: string; folder: string; depth: number } | undefined;
  for (const rule of artifact?.copy ?? []) {
    const from = /^@([^/]+)\/(.*?)\/?\*\*?$/.exec(rule.from ?? '');
    const to = /^@artifact\/?(.*)$/.exec(rule.to ?? '');
    if (!from || !to) continue; // single-file copies do not make folders
    const destination = normalizeRelative(to[1]);
    const inside = destination === '' || wanted === destination || wanted.startsWith(`${destination}/`);
    if (!inside || (best && best.depth > destination.length)) continue;
    best = { alias: from[1], folder: path.posix.join(from[2], wanted.slice(destination.length)), depth: destination.length };
  }
  const where = `ArtifactGenerator ${namespaceOf(generator.object)}/${generator.object.metadata.name} (${generator.file})`;
  if (!best) return { unknownReason: `no copy rule of artifact "${artifactName}" in ${where} produces ${artifactPath}` };
  const source = spec.sources?.find((candidate) => candidate.alias === best!.alias);
  if (source?.kind !== 'GitRepository' || !source.name) {
    return { unknownReason: `artifact "${artifactName}" copies from @${best.alias}, which is not a GitRepository of this repo (${where})` };
  }
  const isThisRepo = gitRepositoryIsThisRepo(scan, identity, source.name, source.namespace ?? namespaceOf(generator.object));
  if (isThisRepo !== true) return { unknownReason: isThisRepo };
  return { folder: path.resolve(scan.root, best.folder) };
}

function resolveExternalArtifact(scan: RepoScan, identity: RepoIdentity, kustomization: ScannedObject, ref: SourceRef, artifactPath: string): SourceResolution {
  const namespace = ref.namespace ?? namespaceOf(kustomization.object);
  const generators = objectsOf(scan, GENERATOR_GROUP, 'ArtifactGenerator').filter(({ object }) =>
    namespaceOf(object) === namespace &&
    ((object.spec as { artifacts?: { name?: string }[] } | undefined)?.artifacts ?? []).some((artifact) => artifact.name === ref.name));
  // Each cluster folder usually has its own generator with the same names: take the one of this environment.
  const environment = environmentOfPath(scan.root, kustomization.file);
  const generator = generators.find(({ file }) => environmentOfPath(scan.root, file) === environment) ??
    generators.find(({ file }) => path.dirname(file) === path.dirname(kustomization.file)) ?? generators[0];
  if (!generator) return { unknownReason: `source ExternalArtifact ${namespace}/${ref.name} is made by no ArtifactGenerator in this repository` };
  return folderBehindArtifact(scan, identity, generator, ref.name!, artifactPath);
}

export function resolveKustomizationSource(scan: RepoScan, identity: RepoIdentity, kustomization: ScannedObject): SourceResolution {
  const spec = (kustomization.object.spec ?? {}) as { sourceRef?: SourceRef; path?: string };
  const ref = spec.sourceRef ?? {};
  const specPath = spec.path ?? './';
  if (ref.kind === 'GitRepository' && ref.name) {
    const isThisRepo = gitRepositoryIsThisRepo(scan, identity, ref.name, ref.namespace ?? namespaceOf(kustomization.object));
    return isThisRepo === true ? { folder: path.resolve(scan.root, normalizeRelative(specPath)) } : { unknownReason: isThisRepo };
  }
  if (ref.kind === 'ExternalArtifact' && ref.name) return resolveExternalArtifact(scan, identity, kustomization, ref, specPath);
  const name = `${ref.namespace ?? namespaceOf(kustomization.object)}/${ref.name ?? '?'}`;
  if (ref.kind === 'Bucket') return { unknownReason: `source Bucket ${name}: Bucket sources are not fetched` };
  return { unknownReason: `source ${ref.kind ?? '(no kind)'} ${name} is not in this repository and needs network` };
}

/** Flux's HelmRepository / OCIRepository URL, when the object is in the repo. */
export function sourceURL(scan: RepoScan, kind: string, name: string, namespace: string): string | undefined {
  return (findObject(scan, SOURCE_GROUP, kind, name, namespace)?.object.spec as { url?: string } | undefined)?.url;
}

/**
 * The repository URL of a HelmRelease's `chart.spec.sourceRef` HelmRepository (an `oci://` URL when its type is
 * oci), whose charts the workspace fetches; or why it cannot be fetched. Its secretRef, certSecretRef and
 * provider are cluster-side: the user's own helm and docker logins are used instead.
 */
export function helmRepositoryOf(scan: RepoScan, name: string, namespace: string): { repoURL: string; insecure?: true } | { unknownReason: string } {
  const found = findObject(scan, SOURCE_GROUP, 'HelmRepository', name, namespace);
  if (!found) return { unknownReason: `source HelmRepository ${namespace}/${name} is not defined in this repository` };
  const spec = (found.object.spec ?? {}) as { url?: unknown; type?: unknown; insecure?: unknown };
  const where = `HelmRepository ${namespace}/${name} (${found.file})`;
  if (typeof spec.url !== 'string' || spec.url === '') return { unknownReason: `${where} has no spec.url` };
  if (spec.type === 'oci' && !spec.url.startsWith('oci://')) return { unknownReason: `${where} is of type oci but its url ${spec.url} is not oci://` };
  if (spec.type !== 'oci' && !/^https?:\/\//.test(spec.url)) return { unknownReason: `${where}: url ${spec.url} is not http(s):// (set type: oci for a registry)` };
  // spec.insecure is plain HTTP to an OCI registry, as source-controller reads it (an HTTP repository says so in its URL).
  return { repoURL: spec.url, ...(spec.type === 'oci' && spec.insecure === true ? { insecure: true as const } : {}) };
}

/**
 * A `chartRef` HelmChart's `valuesFiles` (files inside the chart it fetches, merged in place of its values.yaml
 * as source-controller packages it) and `ignoreMissingValuesFiles`; undefined for another chartRef or none listed.
 */
export function helmChartValuesFiles(scan: RepoScan, helmRelease: KubeObject): { files: string[]; ignoreMissing: boolean } | undefined {
  const chartRef = (helmRelease.spec as { chartRef?: { kind?: unknown; name?: unknown; namespace?: unknown } } | undefined)?.chartRef;
  if (chartRef?.kind !== 'HelmChart' || typeof chartRef.name !== 'string') return undefined;
  const namespace = typeof chartRef.namespace === 'string' ? chartRef.namespace : namespaceOf(helmRelease);
  const spec = findObject(scan, SOURCE_GROUP, 'HelmChart', chartRef.name, namespace)?.object.spec as { valuesFiles?: unknown; ignoreMissingValuesFiles?: unknown } | undefined;
  if (!Array.isArray(spec?.valuesFiles) || spec.valuesFiles.length === 0) return undefined;
  return { files: spec.valuesFiles.map(String), ignoreMissing: spec.ignoreMissingValuesFiles === true };
}

/** What a HelmRelease's `chartRef` points at, as the workspace fetches it. */
export type ChartRefSource = { chart: string; repoURL: string; version?: string; tag?: string; insecure?: true } | { unknownReason: string };

const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/**
 * A HelmRelease's `spec.chartRef`: an OCIRepository (`url` oci://<registry>/<path>/<chart>, `ref` digest over
 * semver over tag as source-controller picks, default tag `latest`), or a HelmChart of a HelmRepository.
 */
export function chartRefSource(scan: RepoScan, kind: string | undefined, name: string, namespace: string): ChartRefSource {
  if (kind !== 'OCIRepository' && kind !== 'HelmChart') return { unknownReason: `chartRef ${kind ?? '(no kind)'} ${namespace}/${name} is not an OCIRepository or HelmChart` };
  const found = findObject(scan, SOURCE_GROUP, kind, name, namespace);
  if (!found) return { unknownReason: `source ${kind} ${namespace}/${name} is not defined in this repository` };
  const where = `${kind} ${namespace}/${name} (${found.file})`;
  if (kind === 'HelmChart') {
    const spec = (found.object.spec ?? {}) as { chart?: unknown; version?: unknown; sourceRef?: SourceRef; valuesFiles?: unknown[] };
    if (typeof spec.chart !== 'string' || spec.chart === '') return { unknownReason: `${where} has no spec.chart` };
    if (spec.sourceRef?.kind !== 'HelmRepository' || !spec.sourceRef.name) return { unknownReason: `${where}: charts from a ${spec.sourceRef?.kind ?? '(no kind)'} source are not fetched yet` };
    const repository = helmRepositoryOf(scan, spec.sourceRef.name, namespace);
    if ('unknownReason' in repository) return repository;
    return { chart: spec.chart, ...repository, ...(typeof spec.version === 'string' ? { version: spec.version } : {}) };
  }
  const spec = (found.object.spec ?? {}) as { url?: unknown; insecure?: unknown; ref?: { digest?: unknown; semver?: unknown; tag?: unknown }; layerSelector?: { mediaType?: unknown } };
  if (typeof spec.url !== 'string' || !/^oci:\/\/[^/]+\/.+/.test(spec.url)) return { unknownReason: `${where}: url ${String(spec.url ?? '(none)')} is not oci://<registry>/<repository>` };
  const mediaType = spec.layerSelector?.mediaType;
  if (mediaType !== undefined && mediaType !== HELM_CHART_LAYER) return { unknownReason: `${where} selects layers of ${String(mediaType)}, not a Helm chart` };
  const url = spec.url.replace(/\/+$/, '');
  const chart = url.slice(url.lastIndexOf('/') + 1);
  const repository = { repoURL: url.slice(0, url.lastIndexOf('/')), ...(spec.insecure === true ? { insecure: true as const } : {}) };
  const ref = spec.ref ?? {};
  if (typeof ref.digest === 'string' && ref.digest !== '') return { chart, ...repository, version: ref.digest };
  if (typeof ref.semver === 'string' && ref.semver !== '') return { chart, ...repository, version: ref.semver };
  return { chart, ...repository, tag: typeof ref.tag === 'string' && ref.tag !== '' ? ref.tag : 'latest' };
}
