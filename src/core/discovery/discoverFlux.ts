// Flux: each Kustomization (kustomize.toolkit.fluxcd.io) is an app of the environment whose cluster folder
// holds it; each HelmRelease it deploys is an app of its own (rendered with helm from its chart).
import path from 'node:path';
import type { AppDefinition, ControllerRef, KubeObject, PostBuildSubstitution } from '../model';
import type { ToolOptions } from '../render/options';
import { renderApp } from '../render/renderApp';
import { findKustomizationFile, walkKustomizeTree } from '../render/kustomizeTree';
import { exists, isWithin, listFiles } from '../render/listFiles';
import { environmentOfPath } from './environmentOfPath';
import { gitRepositoryIsThisRepo, resolveKustomizationSource, sourceURL } from './fluxSources';
import type { RepoIdentity } from './repoIdentity';
import { objectsOf, type RepoScan, type ScannedObject } from './scanRepo';

export interface FluxDiscovery {
  apps: AppDefinition[];
  /** Environments seen, including those whose only Kustomization is Flux's own (flux-system). */
  environments: string[];
}

/** The environment of a Kustomization outside cluster folders that nothing deploys: its folder's name. */
function folderEnvironment(root: string, file: string): string {
  const dir = path.relative(root, path.dirname(file)).split(path.sep).filter((part) => part !== 'flux-system' && part !== '');
  return dir.length > 0 ? dir[dir.length - 1] : 'default';
}

function controllerOf(object: KubeObject, kind: ControllerRef['kind']): ControllerRef {
  return { apiVersion: object.apiVersion, kind, name: object.metadata.name, namespace: object.metadata.namespace ?? 'flux-system' };
}

/** Flux Kustomization fields that change the build, as kustomization fields (what kustomize-controller does); components relative to `folder`. */
function overlayOf(spec: Record<string, unknown>, folder: string): Record<string, unknown> | undefined {
  const overlay: Record<string, unknown> = {};
  if (Array.isArray(spec.components)) overlay.components = spec.components.map((component: string) => path.resolve(folder, component));
  if (typeof spec.targetNamespace === 'string') overlay.namespace = spec.targetNamespace;
  for (const key of ['patches', 'images', 'namePrefix', 'nameSuffix'] as const) {
    if (spec[key] !== undefined) overlay[key] = spec[key];
  }
  const common = spec.commonMetadata as { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined;
  if (common?.labels) overlay.labels = [{ pairs: common.labels, includeSelectors: false }];
  if (common?.annotations) overlay.commonAnnotations = common.annotations;
  return Object.keys(overlay).length > 0 ? overlay : undefined;
}

function substitutionOf(spec: Record<string, unknown>): PostBuildSubstitution | undefined {
  const postBuild = spec.postBuild as { substitute?: Record<string, unknown>; substituteFrom?: unknown[] } | undefined;
  if (!postBuild) return undefined;
  const variables = Object.fromEntries(Object.entries(postBuild.substitute ?? {}).map(([name, value]) => [name, String(value)]));
  return { variables, fromCluster: (postBuild.substituteFrom ?? []).length > 0 };
}

async function kustomizationApp(scan: RepoScan, identity: RepoIdentity, found: ScannedObject, environment: string): Promise<AppDefinition | 'flux-system'> {
  const { object, file, line } = found;
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  const base = {
    name: object.metadata.name, environment, origin: 'flux-kustomization' as const, declaredAt: { file, line },
    controller: controllerOf(object, 'Kustomization'),
    ...(typeof spec.targetNamespace === 'string' ? { namespace: spec.targetNamespace } : {}),
  };
  const source = resolveKustomizationSource(scan, identity, found);
  if ('unknownReason' in source) return { ...base, renderer: 'kustomize', path: path.dirname(file), unknownReason: source.unknownReason };
  // The Kustomization that reconciles the folder declaring it is Flux's own sync (`flux-system`, made by
  // `flux bootstrap`): its objects are Flux's components and the other Kustomizations, which we already show
  // as apps. Listing it would double every app and bury them under Flux's CRDs, so it only marks the environment.
  if (isWithin(file, source.folder)) return 'flux-system';
  if (!await exists(source.folder)) {
    return { ...base, renderer: 'kustomize', path: source.folder, unknownReason: `spec.path ${String(spec.path)} (${source.folder}) does not exist in the repository` };
  }
  const overlay = overlayOf(spec, source.folder);
  const substitute = substitutionOf(spec);
  const withSubstitution = substitute ? { substitute } : {};
  if (await findKustomizationFile(source.folder)) {
    return { ...base, renderer: 'kustomize', path: source.folder, ...(overlay ? { kustomizeOverlay: overlay } : {}), ...withSubstitution };
  }
  // Without kustomization.yaml Flux takes every manifest below the folder.
  return { ...base, renderer: 'yaml', path: source.folder, recurse: true, ...withSubstitution };
}

interface ChartSpec {
  chart?: string;
  version?: string;
  sourceRef?: { kind?: string; name?: string; namespace?: string };
  valuesFiles?: string[];
}

function helmReleaseApp(scan: RepoScan, identity: RepoIdentity, found: ScannedObject, environment: string, parent?: AppDefinition): AppDefinition {
  const { object, file, line } = found;
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  const namespace = (parent?.kustomizeOverlay?.namespace as string | undefined) ?? object.metadata.namespace ?? 'default';
  const targetNamespace = typeof spec.targetNamespace === 'string' ? spec.targetNamespace : undefined;
  const releaseName = typeof spec.releaseName === 'string' ? spec.releaseName
    : targetNamespace ? `${targetNamespace}-${object.metadata.name}` : object.metadata.name;
  const chartSpec = ((spec.chart as { spec?: ChartSpec } | undefined)?.spec ?? {}) as ChartSpec;
  const values = spec.values as Record<string, unknown> | undefined;
  const app: AppDefinition = {
    name: object.metadata.name, environment, renderer: 'helm', path: path.dirname(file), namespace: targetNamespace ?? namespace,
    origin: 'flux-helmrelease', declaredAt: { file, line }, controller: { ...controllerOf(object, 'HelmRelease'), namespace },
    helm: { releaseName, valuesFiles: [], ...(values ? { values } : {}), ...(chartSpec.chart ? { chart: chartSpec.chart } : {}), ...(chartSpec.version ? { version: chartSpec.version } : {}) },
  };
  const chartRef = spec.chartRef as { kind?: string; name?: string; namespace?: string } | undefined;
  const ref = chartSpec.sourceRef ?? chartRef ?? {};
  const refNamespace = ref.namespace ?? namespace;
  if (ref.kind === 'GitRepository' && ref.name && chartSpec.chart) {
    const isThisRepo = gitRepositoryIsThisRepo(scan, identity, ref.name, refNamespace);
    if (isThisRepo !== true) return { ...app, unknownReason: isThisRepo };
    const chartPath = path.resolve(scan.root, chartSpec.chart);
    return {
      ...app, path: chartPath,
      helm: { ...app.helm!, chartPath, valuesFiles: (chartSpec.valuesFiles ?? []).map((values) => path.resolve(scan.root, values)) },
    };
  }
  const url = ref.kind && ref.name ? sourceURL(scan, ref.kind, ref.name, refNamespace) : undefined;
  const what = `chart ${chartSpec.chart ?? ref.name ?? '(unnamed)'}`;
  const from = url ?? `${ref.kind ?? 'an unknown source'} ${refNamespace}/${ref.name ?? '?'}`;
  return { ...app, helm: { ...app.helm!, ...(url ? { repoURL: url } : {}) }, unknownReason: `${what} from ${from} needs network` };
}

/** The files an app reads: which HelmReleases it deploys. */
async function filesOf(app: AppDefinition): Promise<Set<string>> {
  if (app.unknownReason) return new Set();
  // Resource files only: a patch file (a partial HelmRelease) is not a release of its own.
  if (app.renderer === 'kustomize') return new Set((await walkKustomizeTree(app.path)).resourceFiles);
  return new Set(await listFiles(app.path, true));
}

function uniqueName(app: AppDefinition, taken: Set<string>): string | undefined {
  for (const candidate of [app.name, `${app.controller?.namespace}/${app.name}`]) {
    if (!taken.has(`${app.environment}/${candidate}`)) return candidate;
  }
  return undefined;
}

export async function discoverFlux(scan: RepoScan, identity: RepoIdentity, options: ToolOptions = {}): Promise<FluxDiscovery> {
  const apps: AppDefinition[] = [];
  const environments = new Set<string>();
  const taken = new Set<string>();
  const add = (app: AppDefinition) => {
    const name = uniqueName(app, taken);
    if (!name) return;
    taken.add(`${app.environment}/${name}`);
    apps.push({ ...app, name });
  };
  const deployers: { app: AppDefinition; files: Set<string> }[] = [];
  const addKustomization = async (found: ScannedObject, environment: string) => {
    environments.add(environment);
    const app = await kustomizationApp(scan, identity, found, environment);
    if (app === 'flux-system') return;
    add(app);
    deployers.push({ app, files: await filesOf(app) });
  };
  // Kustomizations in a cluster folder belong to that environment; one that another Kustomization deploys
  // (tenants, nested layers: `apps/base/team/sync.yaml`) belongs to every environment that deploys it, which
  // takes rounds when they nest. What no environment deploys is named after its folder.
  let pending = objectsOf(scan, 'kustomize.toolkit.fluxcd.io', 'Kustomization');
  for (const found of pending.filter(({ file }) => environmentOfPath(scan.root, file))) {
    await addKustomization(found, environmentOfPath(scan.root, found.file)!);
  }
  pending = pending.filter(({ file }) => !environmentOfPath(scan.root, file));
  for (let progress = true; progress && pending.length > 0;) {
    progress = false;
    for (const found of [...pending]) {
      const parentEnvironments = new Set(deployers.filter(({ files }) => files.has(found.file)).map(({ app }) => app.environment));
      if (parentEnvironments.size === 0) continue;
      pending = pending.filter((candidate) => candidate !== found);
      progress = true;
      for (const environment of parentEnvironments) await addKustomization(found, environment);
    }
  }
  for (const found of pending) await addKustomization(found, folderEnvironment(scan.root, found.file));
  for (const release of objectsOf(scan, 'helm.toolkit.fluxcd.io', 'HelmRelease')) {
    const parents = deployers.filter(({ files }) => files.has(release.file)).map(({ app }) => app);
    const byFolder = environmentOfPath(scan.root, release.file);
    if (parents.length === 0 && byFolder) add(helmReleaseApp(scan, identity, release, byFolder));
    // Two Kustomizations of one environment that both deploy the release still make one app.
    const parentPerEnvironment = new Map(parents.map((parent) => [parent.environment, parent]));
    for (const parent of parentPerEnvironment.values()) {
      const app = helmReleaseApp(scan, identity, release, parent.environment, parent);
      add(app.helm?.chartPath ? await asBuiltByParent(scan, identity, release, app, parent, options) : app);
    }
  }
  return { apps, environments: [...environments] };
}

/**
 * A release with a chart in this repo renders here, so its values must be the ones the cluster gets: overlays
 * often patch a base HelmRelease per environment (values, chart version). Take the release as its
 * Kustomization builds it; remote charts are Unknown anyway and skip this build.
 */
async function asBuiltByParent(
  scan: RepoScan, identity: RepoIdentity, release: ScannedObject, app: AppDefinition, parent: AppDefinition, options: ToolOptions,
): Promise<AppDefinition> {
  const built = await renderApp(parent, { tools: options.tools, timeoutMs: options.timeoutMs, signal: options.signal });
  const match = built.objects.find(({ object }) => object.kind === 'HelmRelease' && object.metadata.name === release.object.metadata.name &&
    object.apiVersion === release.object.apiVersion);
  if (built.error || !match) return app;
  return helmReleaseApp(scan, identity, { ...release, object: match.object }, parent.environment, parent);
}
