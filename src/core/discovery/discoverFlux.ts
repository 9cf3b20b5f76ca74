// Flux, as kustomize-controller applies it. An environment is a cluster: each root Kustomization (the one that
// syncs the folder declaring it from this repo, `clusters/<c>/flux-system` with `path: ./clusters/<c>`; a
// cluster folder without one is taken as `flux bootstrap` would make it). Each Kustomization is built as the
// controller builds it (fluxBuild.ts: its generator for folders without kustomization.yaml, its patches,
// images, prefixes, targetNamespace, components, commonMetadata, postBuild substitution), and the
// Kustomizations and HelmReleases of the build OUTPUT are the apps, with the identity the build gives them,
// built in turn, level by level (one kustomize run per cluster and level). A file the build does not emit is
// no app; a file applied by two Kustomizations (one per cluster) is two apps.
import { uniqueAppNames } from './uniqueAppNames';
import path from 'node:path';
import type { AppDefinition, ControllerRef, DesiredObject, DiscoveryProblem, FluxAppInfo, KubeObject } from '../model';
import type { ToolOptions } from '../render/options';
import { generatedResources, SourceIgnore } from '../render/fluxGenerator';
import { FileReads, remembered } from '../render/fileReads';
import { walkKustomizeTree, type KustomizeTree } from '../render/kustomizeTree';
import { exists, isWithin } from '../render/listFiles';
import { environmentOfPath, ENVIRONMENT_FOLDERS } from './environmentOfPath';
import { postBuildOf, substituteForDiscovery } from './fluxPostBuild';
import { helmReleaseName, withHelmReleaseSettings } from './fluxHelmRelease';
import { buildFlux, type BuiltObject, type FluxBuildResult, type FluxBuildSpec } from './fluxBuild';
import { buildOutlook, valuesFromSources, type BuildOutlook, type SourceKind, type WantedSource } from './fluxBuildOutlook';
import { BuildOutputs } from './fluxBuildOutputs';
import { patchedFluxInstanceRoots } from './fluxInstance';
import { discoverFluxWithoutTools } from './fluxWithoutTools';
import { chartRefSource, gitRepositoryIsThisRepo, helmChartValuesFiles, helmRepositoryOf, resolveKustomizationSource, sourceURL, type SourceResolution } from './fluxSources';
import { withFetchedChartSource } from './fluxHelmChartSource';
import { gitRepositoryRequest, remoteFolder, type RemoteFolder } from './remoteGitSource';
import type { GitFetcher } from '../sources/gitTypes';
import type { RepoIdentity } from './repoIdentity';
import { isResourceSetInput } from './resourceSet';
import { OPERATOR_GROUP } from './resourceSetInputs';
import { expandResourceSets, parentOf, resourceSetApp } from './resourceSetChildren';
import { objectsInFile, objectsOf, type RepoScan, type ScannedObject } from './scanRepo';

export interface FluxDiscovery {
  apps: AppDefinition[];
  /** Environments seen, including those whose only Kustomization is Flux's own (flux-system). */
  environments: string[];
  /** Kube contexts of environments that only kubeConfig mappings name (`kubeConfigs` in .driftline.yaml). */
  contexts: Record<string, string>;
  problems: DiscoveryProblem[];
}

export interface FluxOptions extends ToolOptions {
  /** `kubeConfigs` of .driftline.yaml: `<namespace>/<secret>` -> kube context. */
  kubeConfigs?: Record<string, string>;
  /** Environments of .driftline.yaml: a kubeConfig's context that one of them uses puts the app there. */
  configuredEnvironments?: { name: string; context?: string }[];
  /** Fetches GitRepositories of other repositories (or other refs): their Kustomizations build from the checkout. */
  fetchGit?: GitFetcher;
}

const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
const HELM_GROUP = 'helm.toolkit.fluxcd.io';
const isKind = (object: KubeObject, group: string, kind: string) => object.kind === kind && object.apiVersion.startsWith(`${group}/`);

/** The environment of a Kustomization outside cluster folders that nothing deploys: its folder's name. */
function folderEnvironment(root: string, file: string): string {
  const dir = path.relative(root, path.dirname(file)).split(path.sep).filter((part) => part !== 'flux-system' && part !== '');
  return dir.length > 0 ? dir[dir.length - 1] : 'default';
}

const kustomizationNamespace = (object: KubeObject) => object.metadata.namespace ?? 'flux-system';

function controllerOf(object: KubeObject, kind: ControllerRef['kind'], namespace: string): ControllerRef {
  return { apiVersion: object.apiVersion, kind, name: object.metadata.name, namespace };
}

/** Flux Kustomization fields that change the build, as kustomization fields (what kustomize-controller does); components relative to `folder`. */
function overlayOf(spec: Record<string, unknown>, folder: string): Record<string, unknown> | undefined {
  const overlay: Record<string, unknown> = {};
  if (Array.isArray(spec.components)) overlay.components = spec.components.map((component: string) => path.resolve(folder, component));
  if (typeof spec.targetNamespace === 'string' && spec.targetNamespace !== '') overlay.namespace = spec.targetNamespace;
  for (const key of ['patches', 'images', 'namePrefix', 'nameSuffix'] as const) {
    if (spec[key] !== undefined) overlay[key] = spec[key];
  }
  const common = spec.commonMetadata as { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined;
  if (common?.labels) overlay.labels = [{ pairs: common.labels, includeSelectors: false }];
  if (common?.annotations) overlay.commonAnnotations = common.annotations;
  return Object.keys(overlay).length > 0 ? overlay : undefined;
}

function fluxInfo(object: KubeObject, namespace: string, parent: string | undefined, kubeConfigSecret: string | undefined): FluxAppInfo {
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  const dependsOn = Array.isArray(spec.dependsOn)
    ? spec.dependsOn.flatMap((entry: { name?: string; namespace?: string }) =>
      (entry && typeof entry.name === 'string' ? [`${entry.namespace ?? namespace}/${entry.name}`] : []))
    : [];
  return {
    ...(parent ? { parent } : {}), dependsOn, suspend: spec.suspend === true,
    ...(typeof spec.targetNamespace === 'string' ? { targetNamespace: spec.targetNamespace } : {}),
    ...(typeof spec.serviceAccountName === 'string' ? { serviceAccountName: spec.serviceAccountName } : {}),
    ...(kubeConfigSecret ? { kubeConfigSecret } : {}),
  };
}

interface ChartSpec {
  chart?: string;
  version?: string;
  sourceRef?: { kind?: string; name?: string; namespace?: string };
  valuesFiles?: string[];
}

function helmReleaseApp(scan: RepoScan, identity: RepoIdentity, found: ScannedObject, environment: string): AppDefinition {
  const { object, file, line } = found;
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  const namespace = object.metadata.namespace ?? 'default';
  const targetNamespace = typeof spec.targetNamespace === 'string' ? spec.targetNamespace : undefined;
  const releaseName = helmReleaseName(object);
  const chartSpec = ((spec.chart as { spec?: ChartSpec } | undefined)?.spec ?? {}) as ChartSpec;
  const values = spec.values as Record<string, unknown> | undefined;
  const storageNamespace = typeof spec.storageNamespace === 'string' && spec.storageNamespace !== '' ? spec.storageNamespace : namespace;
  const app: AppDefinition = {
    name: object.metadata.name, environment, renderer: 'helm', path: path.dirname(file), namespace: targetNamespace ?? namespace,
    origin: 'flux-helmrelease', declaredAt: { file, line }, controller: controllerOf(object, 'HelmRelease', namespace),
    helm: { releaseName, storageNamespace, valuesFiles: [], ...(values ? { values } : {}), ...(chartSpec.chart ? { chart: chartSpec.chart } : {}), ...(chartSpec.version ? { version: chartSpec.version } : {}) },
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
  if (ref.kind === 'HelmRepository' && ref.name && chartSpec.chart && !spec.chartRef) {
    const repository = helmRepositoryOf(scan, ref.name, refNamespace);
    if ('unknownReason' in repository) return { ...app, unknownReason: repository.unknownReason, chartSourceMissing: repository.unknownReason };
    // Its chart.spec.valuesFiles are files inside the fetched chart (HelmReleaseSettings.chartValuesFiles).
    return { ...app, helm: { ...app.helm!, ...repository } };
  }
  if (chartRef?.name) {
    const source = chartRefSource(scan, chartRef.kind, chartRef.name, chartRef.namespace ?? namespace);
    if ('unknownReason' in source) return { ...app, unknownReason: source.unknownReason, chartSourceMissing: source.unknownReason };
    return { ...app, helm: { ...app.helm!, ...source } };
  }
  const url = ref.kind && ref.name ? sourceURL(scan, ref.kind, ref.name, refNamespace) : undefined;
  const what = `chart ${chartSpec.chart ?? ref.name ?? '(unnamed)'}`;
  const from = url ?? `${ref.kind ?? 'an unknown source'} ${refNamespace}/${ref.name ?? '?'}`;
  const reason = `${what} from ${from} needs network`;
  return { ...app, helm: { ...app.helm!, ...(url ? { repoURL: url } : {}) }, unknownReason: reason, chartSourceMissing: reason };
}

/** Where an object of a build comes from: its origin file, and the line of the document that defines it there. */
function locate(scan: RepoScan, object: KubeObject, origin: string | undefined, fallback: { file: string; line?: number }): { file: string; line?: number } {
  if (!origin) return fallback;
  const inFile = objectsInFile(scan, origin).filter((found) => found.object.kind === object.kind);
  const match = inFile.find((found) => found.object.metadata.name === object.metadata.name) ??
    inFile.find((found) => object.metadata.name.includes(found.object.metadata.name)) ?? inFile[0];
  return { file: origin, ...(match?.line !== undefined ? { line: match.line } : {}) };
}

/** The cluster a Kustomization or HelmRelease applies to: its parent's, or the one its kubeConfig secret names. */
interface Cluster {
  environment: string;
  /** Set when the cluster is known only through a kubeConfig mapping. */
  context?: string;
  /** Set when the cluster is one no context is mapped to. */
  unknownReason?: string;
  kubeConfigSecret?: string;
}

interface TreeNode {
  object: KubeObject;
  namespace: string;
  file: string;
  line?: number;
  cluster: Cluster;
  /** A cluster root: it marks the environment and is no app of its own. */
  root: boolean;
  parent?: string;
  /** Set when `parent` is the ResourceSet that generates it. */
  parentKind?: 'ResourceSet';
  /** The environment whose cluster holds this Kustomization, when it applies to another (spec.kubeConfig). */
  home?: string;
  /** Its parent's postBuild left variables in it that only the cluster knows: its app says so. */
  unresolved?: string;
  app?: AppDefinition;
  spec?: FluxBuildSpec;
  result?: FluxBuildResult;
  /** How many Kustomizations were found before it (level by level): where its objects go among the cluster's. */
  order?: number;
}

export async function discoverFlux(scan: RepoScan, identity: RepoIdentity, options: FluxOptions = {}): Promise<FluxDiscovery> {
  if (options.allowTools === false) return discoverFluxWithoutTools(scan, identity);
  const apps: AppDefinition[] = [];
  const environments = new Set<string>();
  const contexts: Record<string, string> = {};
  const problems: DiscoveryProblem[] = [];
  const seen = new Set<string>();
  const ignore = new SourceIgnore(scan.root, gitRepositoryIgnore(scan));
  const reads = scan.reads ?? new FileReads();
  /** Every object each environment's builds emitted so far (substituteFrom ConfigMaps/Secrets are looked up there first). */
  const outputs = new BuildOutputs();
  /** Files an emitted object comes from, and files read by the builds (patches): no orphan Kustomization. */
  const covered = new Set<string>();
  const builtFolders: string[] = [];
  /** Apps with a postBuild: their substituteFrom sources are looked up again once every build is done. */
  const postBuildApps: { index: number; node: TreeNode }[] = [];
  /** HelmReleases: their valuesFrom sources are looked up again once every build is done. */
  /** `home`: the environment whose cluster holds the HelmRelease (its parent's), where helm-controller reads valuesFrom. */
  const helmReleaseApps: { index: number; object: KubeObject; environment: string; home: string; file: string }[] = [];

  // Names are made unique once every app is known (uniqueAppNames), never by the order they were found.
  const add = (app: AppDefinition) => { apps.push(app); };

  const clusterOf = (object: KubeObject, namespace: string, inherited: Cluster): Cluster => {
    const secret = ((object.spec as { kubeConfig?: { secretRef?: { name?: string } } } | undefined)?.kubeConfig?.secretRef?.name);
    if (typeof secret !== 'string' || secret === '') return inherited;
    const key = `${namespace}/${secret}`;
    const context = options.kubeConfigs?.[key];
    if (!context) {
      return {
        environment: inherited.environment, kubeConfigSecret: key,
        unknownReason: `applied to another cluster through kubeConfig secret ${key}: map it to a context in .driftline.yaml kubeConfigs`,
      };
    }
    const environment = options.configuredEnvironments?.find((candidate) => candidate.context === context)?.name ?? context;
    return { environment, context, kubeConfigSecret: key };
  };

  // Each folder's kustomize tree and generated resources, and each spec's outlook, are worked out once: the
  // next level's are prepared while a level's kustomize runs (prepareAhead), when Node has nothing else to do.
  const trees = new Map<string, Promise<KustomizeTree>>();
  const treeOf = (folder: string) => remembered(trees, folder, () => walkKustomizeTree(folder, reads));
  const generatedFolders = new Map<string, Promise<string[] | undefined>>();
  const outlooks = new Map<string, Promise<BuildOutlook>>();
  const outlookOf = (spec: FluxBuildSpec) => remembered(outlooks, JSON.stringify(spec), () => buildOutlook(spec, reads, treeOf));

  /** What kustomize-controller builds for a Kustomization syncing `folder`. */
  const buildSpecOf = async (object: KubeObject, folder: string): Promise<FluxBuildSpec> => {
    const overlay = overlayOf((object.spec ?? {}) as Record<string, unknown>, folder);
    const generated = await remembered(generatedFolders, folder, () => generatedResources(folder, ignore));
    return { folder, ...(generated ? { generated } : {}), ...(overlay ? { overlay } : {}) };
  };

  /** A Kustomization node: its app (unless a root) and what to build. */
  const prepare = async (node: TreeNode): Promise<void> => {
    const { object, file, line } = node;
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    const base: AppDefinition = {
      name: object.metadata.name, environment: node.cluster.environment, origin: 'flux-kustomization', declaredAt: { file, ...(line !== undefined ? { line } : {}) },
      controller: controllerOf(object, 'Kustomization', node.namespace), renderer: 'kustomize', path: path.dirname(file),
      ...(typeof spec.targetNamespace === 'string' ? { namespace: spec.targetNamespace } : {}),
      flux: { ...fluxInfo(object, node.namespace, node.parent, node.cluster.kubeConfigSecret), ...(node.parentKind ? { parentKind: node.parentKind } : {}) },
    };
    const source = await fetchedIfRemote(resolveKustomizationSource(scan, identity, { object, file, line }), scan, spec, node.namespace, options);
    if ('unknownReason' in source) {
      if (!node.root) node.app = { ...base, unknownReason: source.unknownReason };
      return;
    }
    if (!await exists(source.folder)) {
      const written = String(spec.path ?? './');
      // A parent's postBuild variable that only the cluster (or a SOPS key) knows stays as written here.
      const why = written.includes('${') ? 'keeps a postBuild variable of its parent that only the cluster or a SOPS key knows: discovery cannot follow it' : 'does not exist in the repository';
      if (!node.root) node.app = { ...base, path: source.folder, unknownReason: `spec.path ${written} (${source.folder}) ${why}` };
      return;
    }
    if ('note' in source) base.sourceNote = source.note;
    node.spec = await buildSpecOf(object, source.folder);
    const { generated, overlay } = node.spec;
    builtFolders.push(source.folder);
    if (!generated) for (const input of (await treeOf(source.folder)).inputFiles) covered.add(input);
    if (node.root) return;
    const kustomizeOverlay = { ...overlay, ...(generated ? { resources: generated } : {}) };
    node.app = {
      ...base, path: source.folder,
      ...(Object.keys(kustomizeOverlay).length > 0 ? { kustomizeOverlay } : {}),
      ...(node.cluster.unknownReason ? { unknownReason: node.cluster.unknownReason } : {}),
    };
  };

  /** postBuild of a node, with the substituteFrom sources the builds of its Kustomization's cluster emitted so far. */
  const substitutionOf = (node: TreeNode) =>
    postBuildOf(node.object, node.namespace, outputs.get(node.home ?? node.cluster.environment) ?? [], node.file, node.home);

  const helmRelease = (object: KubeObject, origin: { file: string; line?: number }, home: string, cluster: Cluster, parent: Pick<FluxAppInfo, 'parent' | 'parentKind'>, unresolved?: string) => {
    const namespace = object.metadata.namespace ?? 'default';
    const key = `${cluster.environment}|HelmRelease|${namespace}|${object.metadata.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const app = helmReleaseApp(scan, identity, { object, ...origin }, cluster.environment);
    helmReleaseApps.push({ index: apps.length, object, environment: cluster.environment, home, file: origin.file });
    add({
      ...app, flux: { ...fluxInfo(object, namespace, parent.parent, cluster.kubeConfigSecret), ...(parent.parentKind ? { parentKind: parent.parentKind } : {}) },
      // Which cluster it is applied to comes first: without one nothing else can be compared; then its values.
      ...(cluster.unknownReason ?? unresolved ? { unknownReason: cluster.unknownReason ?? unresolved } : {}),
    });
    if (cluster.context) contexts[cluster.environment] ??= cluster.context;
  };

  /**
   * A generated folder that does not build (one malformed file fails the whole build, for Flux too) is built
   * file by file, so the rest of the cluster is still listed; the malformed file is reported (by the scan
   * when it holds Flux objects, else here).
   */
  const salvage = async (node: TreeNode): Promise<void> => {
    const generated = node.spec?.generated;
    if (!node.result || !('error' in node.result) || !generated || generated.length < 2) return;
    const results = await buildFlux(generated.map((entry) => ({ ...node.spec!, generated: [entry] })), options, scan.root);
    const objects: BuiltObject[] = [];
    results.forEach((result, index) => {
      if ('objects' in result) objects.push(...result.objects);
      else if (!scan.problems.some((problem) => problem.file === generated[index])) {
        problems.push({ file: generated[index], message: `${node.root ? `cluster ${node.cluster.environment}` : `Kustomization ${node.namespace}/${node.object.metadata.name}`} does not build as kustomize-controller builds it: ${result.error}` });
      }
    });
    node.result = { objects };
  };

  /**
   * Builds run beside the cluster roots' own, in the same kustomize runs (one process less to start): the
   * Kustomizations a root applies, as written in Git (a root seldom changes what it applies), keyed by their
   * spec. A node takes one only when the spec its parent's build gives it is the same; any other is built in
   * its level.
   */
  const early = new Map<string, { batch: Promise<FluxBuildResult[]>; index: number }>();
  const earlyBatches: Promise<unknown>[] = [];
  /** The specs of the Kustomizations that the builds of `parents` apply as written in Git (none of `parents` themselves). */
  const appliedAsWritten = async (parents: FluxBuildSpec[]): Promise<FluxBuildSpec[]> => {
    const folders = parents.map((spec) => spec.folder);
    const inputs = new Set((await Promise.all(parents.map(async (spec) => spec.generated ?? (await treeOf(spec.folder)).inputFiles))).flat());
    const specs: FluxBuildSpec[] = [];
    for (const found of kustomizations) {
      if (!inputs.has(found.file) && !parents.some((spec) => spec.generated && isWithin(found.file, spec.folder))) continue;
      const source = resolveKustomizationSource(scan, identity, found);
      if (!('folder' in source) || 'note' in source || folders.includes(source.folder) || !await exists(source.folder)) continue;
      specs.push(await buildSpecOf(found.object, source.folder));
    }
    return specs;
  };
  /** The specs of what `rootNodes` apply as written in Git, that discovery builds. */
  const earlySpecs = async (rootNodes: TreeNode[]): Promise<Map<string, FluxBuildSpec>> => {
    const pending = new Map<string, FluxBuildSpec>();
    for (const spec of await appliedAsWritten(rootNodes.map((node) => node.spec!))) {
      const key = JSON.stringify(spec);
      if (!pending.has(key) && (await outlookOf(spec)).build) pending.set(key, spec);
    }
    return pending;
  };
  /** Works out the trees and outlooks of what the builds of `specs` apply (as written in Git), for their level to find ready. */
  const prepareAhead = async (specs: FluxBuildSpec[]): Promise<void> => {
    try {
      await Promise.all((await appliedAsWritten(specs)).map(outlookOf));
    } catch {
      // Only a head start: the level reports what fails when it gets there.
    }
  };
  const takeEarly = (spec: FluxBuildSpec) => {
    const key = JSON.stringify(spec);
    const entry = early.get(key);
    early.delete(key);
    return entry && entry.batch.then((results) => results[entry.index]);
  };

  /**
   * Builds `nodes` in one batch (one or two kustomize runs), or takes their early builds, and keeps what they
   * emit; `alongside` are built in the same runs, for the nodes of a later level to take.
   */
  const build = async (nodes: TreeNode[], alongside = new Map<string, FluxBuildSpec>()): Promise<void> => {
    const taken = nodes.map((node) => takeEarly(node.spec!));
    const rest = nodes.filter((_node, index) => !taken[index]);
    const batch = buildFlux([...rest.map((node) => node.spec!), ...alongside.values()], options, scan.root);
    if (alongside.size > 0) earlyBatches.push(batch.catch(() => undefined)); // awaited by the nodes that take it, and at the end
    [...alongside.keys()].forEach((key, index) => early.set(key, { batch, index: rest.length + index }));
    const [results] = await Promise.all([batch, prepareAhead([...rest.map((node) => node.spec!), ...alongside.values()])]);
    rest.forEach((node, index) => { node.result = results[index]; });
    await Promise.all(nodes.map(async (node, index) => { if (taken[index]) node.result = await taken[index]; }));
    await Promise.all(nodes.map((node) => salvage(node)));
    for (const node of nodes) {
      if (node.result && 'objects' in node.result) {
        outputs.add(node.cluster.environment, node.order!, node.result.objects);
        for (const { origin } of node.result.objects) if (origin) covered.add(origin);
      }
    }
  };

  const reportFailure = (node: TreeNode): void => {
    if (!node.result || !('error' in node.result)) return;
    const self = `${node.namespace}/${node.object.metadata.name}`;
    const what = node.root ? `cluster ${node.cluster.environment}: the root Kustomization ${self}` : `Kustomization ${self}`;
    problems.push({ file: node.file, ...(node.line !== undefined ? { line: node.line } : {}), message: `${what} does not build as kustomize-controller builds it: ${node.result.error}` });
  };

  /** Kustomizations discovery has not built (their inputs hold no Flux object), with the sources they may emit. */
  const unbuilt: { node: TreeNode; mayEmit: (kind: SourceKind, name: string) => boolean }[] = [];
  let found = 0;
  /** The substituteFrom sources of `nodes`, in the environment whose builds they are looked up in. */
  const substituteSources = (nodes: TreeNode[]): WantedSource[] => nodes.flatMap((node) =>
    (substitutionOf(node)?.from ?? []).map(({ kind, name }) => ({ environment: node.home ?? node.cluster.environment, kind, name })));

  /**
   * Builds the folders not built yet (those found up to `upTo`) that may emit one of `sources`, so each is found
   * where it would be if every folder were built (even one found already: the first build emitting it wins);
   * the build errors of those found before `reportBefore` are reported here (their level is done).
   */
  const buildSourcesOf = async (sources: WantedSource[], upTo: number, reportBefore: number): Promise<void> => {
    const wanted = [...new Map(sources.map((source) => [`${source.environment}|${source.kind}|${source.name}`, source])).values()];
    const chosen = unbuilt.filter(({ node, mayEmit }) => node.order! <= upTo &&
      wanted.some(({ environment, kind, name }) => environment === node.cluster.environment && mayEmit(kind, name)));
    if (chosen.length === 0) return;
    for (const entry of chosen) unbuilt.splice(unbuilt.indexOf(entry), 1);
    await build(chosen.map(({ node }) => node));
    for (const { node } of chosen) if (node.order! < reportBefore) reportFailure(node);
  };

  /** Builds the tree from `level`, level by level. */
  const grow = async (level: TreeNode[]): Promise<void> => {
    while (level.length > 0) {
      options.signal?.throwIfAborted();
      await Promise.all(level.map(prepare));
      for (const node of level) if (node.unresolved && node.app && !node.app.unknownReason) node.app = { ...node.app, unknownReason: node.unresolved };
      const first = found;
      for (const node of level) node.order = found++;
      // A folder whose inputs hold no Flux object has no child to find: render builds it (fluxBuildOutlook.ts).
      const outlooks = await Promise.all(level.map(async (node) => (node.spec && !node.root ? outlookOf(node.spec) : undefined)));
      const building = level.filter((node, index) => {
        const outlook = outlooks[index];
        if (outlook?.build === false) unbuilt.push({ node, mayEmit: outlook.mayEmit });
        return node.spec && outlook?.build !== false;
      });
      // Every cluster's Kustomizations of this level in one batch; with the roots', what they apply.
      const roots = building.filter((node) => node.root);
      await build(building, roots.length > 0 ? await earlySpecs(roots) : undefined);
      // What these builds apply may use a source that a folder not built so far emits.
      await buildSourcesOf(substituteSources(building), found - 1, first);
      const next: TreeNode[] = [];
      for (const node of level) {
        const self = `${node.namespace}/${node.object.metadata.name}`;
        reportFailure(node);
        let objects: DesiredObject[] = node.result && 'objects' in node.result
          ? node.result.objects.filter(({ object }) => isKind(object, KUSTOMIZE_GROUP, 'Kustomization') || isKind(object, HELM_GROUP, 'HelmRelease') || isResourceSetInput(object))
            .map(({ object, origin }) => ({ object, source: locate(scan, object, origin, { file: node.file, line: node.line }) }))
          : [];
        const substitution = substitutionOf(node);
        if (substitution) {
          if (node.app) node.app = { ...node.app, substitute: substitution };
          objects = substituteForDiscovery(objects, substitution);
        }
        if (node.app) {
          if (node.app.substitute) postBuildApps.push({ index: apps.length, node });
          add(node.app);
          if (node.cluster.context) contexts[node.cluster.environment] ??= node.cluster.context;
        }
        // The Flux Operator expands the ResourceSets this build applies (after postBuild substitution).
        const expanded = expandResourceSets(objects, () => (outputs.get(node.cluster.environment) ?? []).map(({ object }) => object));
        objects = expanded.objects;
        scan.objects.push(...expanded.sources.map(({ object, source }) => ({ object, ...source }))); // found like sources written in Git
        problems.push(...expanded.problems);
        const kustomization = node.root ? undefined : self;
        const resourceSets = [
          ...expanded.expanded.map(({ desired, objects: generated }) => ({ desired, known: { objects: generated } })),
          ...expanded.unknown.map(({ resourceSet, reason }) => ({ desired: resourceSet, known: { unknownReason: reason } })),
        ];
        for (const { desired, known } of resourceSets) {
          const key = `${node.cluster.environment}|ResourceSet|${desired.object.metadata.namespace ?? 'default'}|${desired.object.metadata.name}`;
          if (seen.has(key)) continue;
          seen.add(key);
          add(resourceSetApp(desired, node.cluster.environment, kustomization, known, node.cluster.unknownReason));
        }
        for (const desired of objects) {
          const { object, source, unknownReason: unresolved } = desired;
          if (isResourceSetInput(object)) continue;
          if (isKind(object, HELM_GROUP, 'HelmRelease')) {
            const namespace = object.metadata.namespace ?? 'default';
            helmRelease(object, source, node.cluster.environment, clusterOf(object, namespace, node.cluster), parentOf(desired, kustomization), unresolved);
            continue;
          }
          const namespace = kustomizationNamespace(object);
          if (`${namespace}/${object.metadata.name}` === self) continue; // a root applies itself
          const cluster = clusterOf(object, namespace, node.cluster);
          const key = `${cluster.environment}|Kustomization|${namespace}|${object.metadata.name}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const home = cluster.environment !== node.cluster.environment ? { home: node.cluster.environment } : {};
          next.push({ object, namespace, file: source.file, line: source.line, cluster, root: false, ...home, ...(unresolved ? { unresolved } : {}), ...parentOf(desired, kustomization) });
        }
      }
      level = next;
    }
  };

  const kustomizations = objectsOf(scan, KUSTOMIZE_GROUP, 'Kustomization');
  // Roots: the Kustomizations FluxInstances generate, and Kustomizations that sync the folder declaring them (flux-system).
  const roots: TreeNode[] = [];
  const instances = await patchedFluxInstanceRoots(scan, identity, options);
  problems.push(...instances.problems);
  for (const { kustomization, source, folder, environment } of instances.roots) {
    scan.objects.push(source); // what the operator generates, so Kustomizations naming it find this repo
    roots.push({ ...kustomization, namespace: kustomizationNamespace(kustomization.object), cluster: { environment }, root: true, spec: { folder } });
  }
  for (const found of kustomizations) {
    const source = resolveKustomizationSource(scan, identity, found);
    if (!('folder' in source) || !isWithin(found.file, source.folder)) continue;
    const environment = environmentOfPath(scan.root, found.file) ?? folderEnvironment(scan.root, found.file);
    if (roots.some((root) => root.cluster.environment === environment && root.spec?.folder === source.folder)) continue;
    if (instances.roots.some((instance) => instance.folder === source.folder)) continue; // the FluxInstance's Kustomization, written out
    roots.push({ ...found, namespace: kustomizationNamespace(found.object), cluster: { environment }, root: true, spec: { folder: source.folder } });
  }
  // A Kustomization of the whole repo (`path: ./`, or none) contains the file declaring it too; it is the root
  // only of a repo with no other (a single cluster synced at the top). Elsewhere it is a child of a cluster
  // whose build emits it (a partial Kustomization that a patch gives its path, say).
  const wholeRepo = roots.filter((root) => root.spec?.folder === scan.root);
  roots.splice(0, roots.length, ...roots.filter((root) => root.spec?.folder !== scan.root));
  // A cluster folder (`clusters/<c>`) holding Flux objects that no root syncs: Flux's own sync (made by
  // `flux bootstrap`, often not committed) builds it.
  const clusterFolders = new Map<string, string>();
  for (const found of [...kustomizations, ...objectsOf(scan, HELM_GROUP, 'HelmRelease')]) {
    const environment = environmentOfPath(scan.root, found.file);
    if (!environment) continue;
    const parts = path.relative(scan.root, found.file).split(path.sep);
    const index = parts.findIndex((part, position) => ENVIRONMENT_FOLDERS.includes(part) && parts[position + 1] === environment);
    const folder = path.join(scan.root, ...parts.slice(0, index + 2));
    if (roots.some((root) => isWithin(folder, root.spec!.folder) || isWithin(root.spec!.folder, folder))) continue;
    clusterFolders.set(folder, environment);
  }
  for (const [folder, environment] of clusterFolders) {
    const relative = `./${path.relative(scan.root, folder).split(path.sep).join('/')}`;
    roots.push({
      object: {
        apiVersion: `${KUSTOMIZE_GROUP}/v1`, kind: 'Kustomization', metadata: { name: 'flux-system', namespace: 'flux-system' },
        spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' }, path: relative },
      },
      namespace: 'flux-system', file: path.join(folder, 'kustomization.yaml'), cluster: { environment }, root: true,
    });
  }
  if (roots.length === 0) roots.push(...wholeRepo);
  for (const root of roots) {
    environments.add(root.cluster.environment);
    delete root.spec;
  }
  await grow(roots);
  // A Kustomization no build emits and no build reads (applied by hand, or the only thing in a repo without
  // cluster folders) is built on its own, in the environment named after its folder.
  const orphans = kustomizations.filter(({ file }) => !covered.has(file) && !builtFolders.some((folder) => isWithin(file, folder)));
  const orphanNodes: TreeNode[] = [];
  for (const found of orphans) {
    const namespace = kustomizationNamespace(found.object);
    const environment = folderEnvironment(scan.root, found.file);
    const key = `${environment}|Kustomization|${namespace}|${found.object.metadata.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    environments.add(environment);
    const cluster = clusterOf(found.object, namespace, { environment });
    orphanNodes.push({ ...found, namespace, cluster, root: false, ...(cluster.environment !== environment ? { home: environment } : {}) });
  }
  await grow(orphanNodes);
  for (const found of objectsOf(scan, OPERATOR_GROUP, 'ResourceSet')) {
    if (covered.has(found.file) || builtFolders.some((folder) => isWithin(found.file, folder))) continue;
    problems.push({ file: found.file, ...(found.line !== undefined ? { line: found.line } : {}), message: `ResourceSet ${found.object.metadata.namespace ?? 'default'}/${found.object.metadata.name} is applied by no Kustomization or FluxInstance of this repo: its objects are not listed` });
  }
  // A source that a later build emits (a sibling's or a child's) is found once every build is done.
  // HelmReleases' valuesFrom sources are looked up in the build output too (withHelmReleaseSettings).
  const valuesSources = helmReleaseApps.flatMap(({ object, home }) => valuesFromSources(object, home));
  await buildSourcesOf([...substituteSources(postBuildApps.map(({ node }) => node)), ...valuesSources], Infinity, Infinity);
  for (const { index, node } of postBuildApps) apps[index] = { ...apps[index], substitute: substitutionOf(node) };
  for (const { index, object, environment, home, file } of helmReleaseApps) {
    apps[index] = withHelmReleaseSettings(apps[index], object, outputs.get(home) ?? [], file, home !== environment ? home : undefined, helmChartValuesFiles(scan, object));
  }
  // Charts in other Git repositories are fetched (and Bucket charts refused) once every HelmRelease is known.
  await Promise.all(helmReleaseApps.map(async ({ index, object }) => { apps[index] = await withFetchedChartSource(apps[index], object, scan, identity, options); }));
  await Promise.all(earlyBatches); // none is left running
  for (const app of apps) environments.add(app.environment);
  return { apps: uniqueAppNames(apps), environments: [...environments], contexts, problems };
}

/** A Kustomization whose GitRepository is another repository (or ref) builds from the fetched checkout, when there is a fetcher. */
async function fetchedIfRemote(source: SourceResolution, scan: RepoScan, spec: Record<string, unknown>, namespace: string, options: FluxOptions): Promise<SourceResolution | RemoteFolder> {
  const ref = (spec.sourceRef ?? {}) as { kind?: string; name?: string; namespace?: string };
  if (!('unknownReason' in source) || ref.kind !== 'GitRepository' || !ref.name || !options.fetchGit) return source;
  const request = gitRepositoryRequest(scan, ref.name, ref.namespace ?? namespace);
  return request ? remoteFolder(request, String(spec.path ?? './'), options.fetchGit, options.signal) : source;
}

/** `spec.ignore` of this repo's GitRepository (flux-system), which source-controller adds to .sourceignore. */
function gitRepositoryIgnore(scan: RepoScan): string {
  const repository = objectsOf(scan, 'source.toolkit.fluxcd.io', 'GitRepository').find(({ object }) => object.metadata.name === 'flux-system');
  const value = (repository?.object.spec as { ignore?: unknown } | undefined)?.ignore;
  return typeof value === 'string' ? value : '';
}
