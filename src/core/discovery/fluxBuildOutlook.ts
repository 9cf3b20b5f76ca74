// Which Flux Kustomizations discovery has to build. Discovery builds a Kustomization for two things only: the
// Flux objects of its output (its children: Kustomizations, HelmReleases, ResourceSets and their input
// providers) and the ConfigMaps/Secrets that postBuild.substituteFrom names. Every Kustomization is built again
// at render time anyway (per app, where its errors are its own), so building a leaf folder in discovery is the
// same kustomize work twice: 490 of the 500 folders of the bench's Flux tree.
// What can come out of a build is read from its kustomize inputs, without running kustomize:
// - a Flux object has an apiVersion of a Flux group, and kustomize writes no apiVersion of its own: the text
//   must be in one of the files the build reads (resources, patches, inline patches in kustomization files,
//   generator inputs) or in the Kustomization's own overlay. A JSON patch may change a kind or a name (and its
//   text is then in an input file too); a strategic-merge patch keeps kind and name unless its options allow;
// - generator and transformer plugins, validators, Helm charts and remote resources can emit anything: such a
//   folder is built, as is one whose tree kustomize would not walk (a missing file, a malformed kustomization).
// A folder not built here may still emit a substituteFrom source: `mayEmit` tells which names it could, so the
// few it may are built when a source is missing (fluxSourceBuilds in discoverFlux).
import { generatedTree } from '../render/collectInputs';
import { FileReads } from '../render/fileReads';
import { walkKustomizeTree, type KustomizeTree } from '../render/kustomizeTree';
import { readYamlDocuments } from '../render/parsedYamlFiles';
import type { KubeObject } from '../model';
import type { FluxBuildSpec } from './fluxBuild';

export type SourceKind = 'ConfigMap' | 'Secret';

/** A ConfigMap/Secret a Flux object reads (substituteFrom, valuesFrom), looked up in what `environment`'s builds emit. */
export interface WantedSource {
  environment: string;
  kind: SourceKind;
  name: string;
}

/** Whether discovery builds a folder, and if not, which substituteFrom sources its build could still emit. */
export type BuildOutlook =
  | { build: true; why: string }
  | { build: false; mayEmit: (kind: SourceKind, name: string) => boolean };

/** Kustomization fields that run plugins or charts: their objects are not in the input files. */
const OPAQUE_FIELDS = ['generators', 'transformers', 'validators', 'helmCharts', 'helmGlobals', 'helmChartInflationGenerator'];
/** Fields that make names no input file holds whole (prefixes, suffixes, values spliced into a name). */
const RENAMING_FIELDS = ['namePrefix', 'nameSuffix', 'replacements', 'vars'];
/** Generators of each source kind: their names get a content hash, so any name may come out. */
const GENERATORS: Record<SourceKind, string> = { ConfigMap: 'configMapGenerator', Secret: 'secretGenerator' };

/** Text naming an API group of Flux or the Flux Operator (what discovery reads from a build's output). */
const FLUX_GROUPS = /fluxcd\.io|fluxcd\.controlplane\.io/;

/** How a reason names the fields the Flux Kustomization itself adds (patches, images, prefixes...). */
const OWN_FIELDS = 'the Flux Kustomization\'s spec';

const isSet = (value: unknown) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/** Walks the kustomize tree of a folder (discovery walks each folder once, and passes its own). */
export type TreeWalker = (folder: string) => Promise<KustomizeTree>;

/** The kustomize trees the build reads: the folder's (or the generated kustomization's) and the components the Kustomization adds. */
async function treesOf(spec: FluxBuildSpec, reads: FileReads, walk: TreeWalker): Promise<KustomizeTree[]> {
  const main = spec.generated ? await generatedTree(spec.folder, spec.generated, reads) : await walk(spec.folder);
  const components = Array.isArray(spec.overlay?.components) ? spec.overlay.components as string[] : [];
  return [main, ...await Promise.all(components.map(walk))];
}

export async function buildOutlook(spec: FluxBuildSpec, reads = new FileReads(), walk: TreeWalker = (folder) => walkKustomizeTree(folder, reads)): Promise<BuildOutlook> {
  const trees = await treesOf(spec, reads, walk);
  for (const tree of trees) {
    if (tree.problem) return { build: true, why: tree.problem };
    if (tree.remoteResources.length > 0) return { build: true, why: `remote resource ${tree.remoteResources[0]}` };
    if (tree.inflatesHelmCharts) return { build: true, why: 'it inflates Helm charts' };
  }
  const kustomizations: { file: string; fields: Record<string, unknown> }[] = [{ file: OWN_FIELDS, fields: spec.overlay ?? {} }];
  for (const file of trees.flatMap((tree) => tree.kustomizationFiles)) {
    try {
      const [document] = await readYamlDocuments(file, reads);
      kustomizations.push({ file, fields: (document?.value ?? {}) as Record<string, unknown> });
    } catch (error) {
      return { build: true, why: (error as Error).message };
    }
  }
  for (const { file, fields } of kustomizations) {
    const opaque = OPAQUE_FIELDS.find((field) => isSet(fields[field]));
    if (opaque) return { build: true, why: `${file} has ${opaque}` };
  }
  const inputs = [{ file: OWN_FIELDS, text: JSON.stringify(spec.overlay ?? {}) }];
  for (const file of new Set(trees.flatMap((tree) => tree.inputFiles))) {
    try {
      inputs.push({ file, text: await reads.readText(file) });
    } catch (error) {
      return { build: true, why: `${file} cannot be read: ${(error as Error).message}` };
    }
  }
  const flux = inputs.find(({ text }) => FLUX_GROUPS.test(text));
  if (flux) return { build: true, why: `${flux.file} names a Flux API group` };
  const texts = inputs.map(({ text }) => text);
  const renames = kustomizations.some(({ fields }) => RENAMING_FIELDS.some((field) => isSet(fields[field])));
  const generates = (kind: SourceKind) => kustomizations.some(({ fields }) => isSet(fields[GENERATORS[kind]]));
  return {
    build: false,
    mayEmit: (kind, name) => generates(kind) || (texts.some((text) => text.includes(kind)) && (renames || texts.some((text) => text.includes(name)))),
  };
}

/** The ConfigMaps/Secrets a HelmRelease's valuesFrom names (helm-controller admits no other kind). */
export function valuesFromSources(helmRelease: KubeObject, environment: string): WantedSource[] {
  const entries = (helmRelease.spec as { valuesFrom?: unknown } | undefined)?.valuesFrom;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry: { kind?: unknown; name?: unknown }) =>
    (entry?.kind === 'ConfigMap' || entry?.kind === 'Secret' ? [{ environment, kind: entry.kind, name: String(entry.name ?? '') }] : []));
}
