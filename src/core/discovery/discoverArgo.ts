// Argo CD: each Application (argoproj.io) in the repo is an app: `spec.source.path` in this repo, rendered the
// way Argo CD would (Helm chart, kustomization, or a directory of YAML, JSON and jsonnet files), into the
// destination namespace; with `spec.sources`, the union of its sources, Helm value files taken from `$<ref>`
// sources. An app-of-apps Helm chart (templates that make Applications) is an app too, expanded with helm.
import { kustomizeImageOf } from './argoKustomizeImages';
import path from 'node:path';
import { stoppedBy } from '../abort';
import type { AppDefinition, AppSource, DiscoveryProblem, HelmSource, KubeObject, SourceLocation } from '../model';
import { directoryFiles, isJsonnetFile } from '../render/argoDirectory';
import type { ToolOptions } from '../render/options';
import { findKustomizationFile } from '../render/kustomizeTree';
import { exists } from '../render/listFiles';
import { renderHelm } from '../render/renderHelm';
import { findExecutable, ToolNotAllowedError } from '../render/runTool';
import { type ArgoDirectory, directorySource } from './argoDirectorySource';
import { argoEnv, argoEnvsubst, type ArgoEnv } from './argoEnv';
import { argoHelmSettings, argoHelmValues, type ArgoHelmFields } from './argoHelmSource';
import { revisionCommit, revisionNote } from './argoRevision';
import { type RefSources, resolveValueFiles } from './argoValueFiles';
import { environmentOfPath } from './environmentOfPath';
import { expandApplicationSet, type ArgoCluster } from './expandApplicationSet';
import { loadConfig } from './loadConfig';
import { RepoIdentity } from './repoIdentity';
import { remoteFolder } from './remoteGitSource';
import type { GitFetcher } from '../sources/gitTypes';
import { objectsOf, type HelmChartFolder, type RepoScan } from './scanRepo';
import { argoChartRepoURL } from '../sources/argoChartSource';
import { withSourceOverrides } from './argoSourceOverrides';

export interface ArgoDiscovery {
  apps: AppDefinition[];
  problems: DiscoveryProblem[];
}

interface ApplicationSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  /** Multi-source: names this source for `$<ref>/...` value files of the others. */
  ref?: string;
  helm?: ArgoHelmFields;
  kustomize?: Record<string, unknown>;
  directory?: ArgoDirectory;
  plugin?: { name?: string };
}

interface ApplicationSpec {
  project?: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  destination?: { server?: string; name?: string; namespace?: string };
}

/** What a source is read with: the repo, the Application's file, its `$<ref>` sources and where it is in the spec. */
interface SourceContext {
  root: string;
  identity: RepoIdentity;
  refs: RefSources;
  /** `argocd/app.yaml:7: spec.sources[1]`: how messages name the source. */
  field: string;
  project?: string;
  /** Fetches sources of other repoURLs (the workspace's Git fetcher); without it they are Unknown. */
  remote?: RemoteGitOptions;
}

type RemoteGitOptions = { fetchGit?: GitFetcher; signal?: AbortSignal };

const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
/** Argo CD `spec.source.kustomize` fields that are kustomization fields under the same name. */
const KUSTOMIZE_OVERLAY_FIELDS = ['namePrefix', 'nameSuffix', 'images', 'commonLabels', 'commonAnnotations', 'namespace', 'patches', 'components'];

/** The destination cluster's name (as Argo CD shows it), else the repo folder's environment. */
function environmentOf(root: string, file: string, destination: ApplicationSpec['destination'], clusters: ArgoCluster[] = []): string {
  if (destination?.name) return destination.name;
  const byServer = clusters.find((cluster) => destination?.server && cluster.server === destination.server);
  if (byServer) return byServer.name;
  const byFolder = environmentOfPath(root, file);
  if (byFolder) return byFolder;
  if (!destination?.server || destination.server.replace(/\/$/, '') === IN_CLUSTER_SERVER) return 'in-cluster';
  try {
    return new URL(destination.server).hostname;
  } catch {
    return destination.server;
  }
}

/** Argo CD's build environment of the app's source (`$ARGOCD_APP_*`); the revision's commit only when `uses` names it. */
async function sourceEnv(app: AppDefinition, source: ApplicationSource, context: SourceContext, uses: unknown): Promise<ArgoEnv> {
  const needsRevision = JSON.stringify(uses ?? {}).includes('ARGOCD_APP_REVISION');
  return argoEnv({
    appName: app.name, namespace: app.namespace, project: context.project, repoURL: source.repoURL, path: source.path,
    targetRevision: source.targetRevision, revision: needsRevision ? await revisionCommit(context.root, source.targetRevision || 'HEAD') : undefined,
  });
}

/**
 * The Helm input of a source: value files, then `valuesObject` (or `values`), then parameters, as the repo-server
 * passes them; `chartDir` undefined for a chart of a Helm repository.
 */
async function helmOf(app: AppDefinition, source: ApplicationSource, context: SourceContext, chartDir: string | undefined): Promise<{ helm: HelmSource; unknownReason?: string }> {
  const env = await sourceEnv(app, source, context, source.helm);
  // Argo CD substitutes a value file's $ARGOCD_APP_* after resolving a `$<ref>/` prefix; one naming no ref is kept
  // as written so that resolveValueFiles names the typo (Argo CD would look for the file without it).
  const isRef = (file: string) => file.startsWith('$') && !/^\$\{?ARGOCD_/.test(file);
  const rawFiles = (source.helm?.valueFiles ?? []).map((file) => (isRef(file) ? file : argoEnvsubst(file, env)));
  const valueFiles = resolveValueFiles(rawFiles, chartDir, {
    ...context, field: `${context.field}.helm.valueFiles`, ignoreMissing: source.helm?.ignoreMissingValueFiles === true,
  });
  const values = argoHelmValues(source.helm, context.field);
  const settings = argoHelmSettings(source.helm, chartDir, env, context);
  const helm: HelmSource = {
    releaseName: source.helm?.releaseName || app.name, valuesFiles: 'files' in valueFiles ? valueFiles.files : [],
    ...('values' in values && values.values ? { values: values.values } : {}), ...('settings' in settings && settings.settings ? { argo: settings.settings } : {}),
  };
  const unknownReason = 'unknownReason' in valueFiles ? valueFiles.unknownReason : 'unknownReason' in values ? values.unknownReason : 'unknownReason' in settings ? settings.unknownReason : undefined;
  return { helm, ...(unknownReason ? { unknownReason } : {}) };
}

/** The source's type the way Argo CD chooses it: the one tool field set, else what the folder holds. */
async function sourceType(source: ApplicationSource, folder: string): Promise<'helm' | 'kustomize' | 'directory' | 'plugin' | { multiple: string[] }> {
  const explicit = (['helm', 'kustomize', 'directory', 'plugin'] as const).filter((field) => source[field] != null);
  if (explicit.length > 1) return { multiple: explicit };
  if (explicit.length === 1) return explicit[0];
  if (await exists(path.join(folder, 'Chart.yaml'))) return 'helm';
  if (await findKustomizationFile(folder)) return 'kustomize';
  return 'directory';
}

/**
 * A source of another repoURL: the checkout of its targetRevision (a branch, tag, commit, or HEAD) as Argo CD's
 * repo-server fetches it, read as if it were this repository.
 */
async function remoteSourceApp(base: AppDefinition, source: ApplicationSource, context: SourceContext, fetchGit: GitFetcher, signal?: AbortSignal): Promise<AppDefinition> {
  const request = { url: source.repoURL!, ref: { revision: source.targetRevision ?? 'HEAD' } };
  const fetched = await remoteFolder(request, '.', fetchGit, signal);
  if ('unknownReason' in fetched) return { ...base, unknownReason: fetched.unknownReason };
  const identity = new RepoIdentity([source.repoURL!]);
  const app = await sourceApp(base, { ...source, targetRevision: undefined }, { ...context, root: fetched.folder, identity });
  return fetched.note ? { ...app, sourceNote: fetched.note } : app;
}

/** `source` of the Application `base` as the app it renders (unknownReason set when it cannot be rendered here). */
async function sourceApp(base: AppDefinition, written: ApplicationSource, context: SourceContext): Promise<AppDefinition> {
  let source = written;
  const { root, identity } = context;
  if (source.chart) {
    const input = await helmOf(base, source, context, undefined);
    const helm = { ...input.helm, chart: source.chart, repoURL: argoChartRepoURL(source.repoURL), version: source.targetRevision };
    // The chart is fetched when the app renders (the workspace's chart fetcher, sources/).
    return { ...base, renderer: 'helm', helm, ...(input.unknownReason ? { unknownReason: input.unknownReason } : {}) };
  }
  if (!identity.isThisRepo(source.repoURL) && source.repoURL && context.remote?.fetchGit) {
    return remoteSourceApp(base, source, { ...context, remote: undefined }, context.remote.fetchGit, context.remote.signal);
  }
  if (!identity.isThisRepo(source.repoURL)) {
    return { ...base, unknownReason: `source ${source.repoURL ?? '(no repoURL)'} is not this repository and needs network (add it to repoURLs in .driftline.yaml if it is this one)` };
  }
  const folder = path.resolve(root, source.path ?? '.');
  if (!await exists(folder)) return { ...base, path: folder, unknownReason: `spec.source.path ${source.path} (${folder}) does not exist in the repository` };
  // The repo-server merges the folder's parameter override files first, then tells the source's type.
  const overridden = await withSourceOverrides(source as ApplicationSource & Record<string, unknown>, folder, base.controller ?? { name: base.name });
  if ('error' in overridden) return { ...base, path: folder, unknownReason: overridden.error };
  source = overridden.source;
  const note = await revisionNote(root, source.targetRevision);
  const app: AppDefinition = { ...base, path: folder, ...(note ? { revisionNote: note } : {}) };
  const type = await sourceType(source, folder);
  if (typeof type === 'object') {
    return { ...app, unknownReason: `${context.field} sets ${type.multiple.join(' and ')}: Argo CD refuses an application with multiple source types` };
  }
  if (type === 'plugin') return { ...app, unknownReason: `config management plugin ${source.plugin?.name ?? ''} is not supported` };
  if (type === 'helm') {
    const input = await helmOf(app, source, context, folder);
    if (input.unknownReason) return { ...app, renderer: 'helm', unknownReason: input.unknownReason };
    return { ...app, renderer: 'helm', helm: { ...input.helm, chartPath: folder } };
  }
  if (type === 'kustomize') {
    const overlay = Object.fromEntries(Object.entries(source.kustomize ?? {}).filter(([key]) => KUSTOMIZE_OVERLAY_FIELDS.includes(key)));
    if (Array.isArray(overlay.components)) overlay.components = overlay.components.map((component: string) => path.resolve(folder, component));
    if (Array.isArray(overlay.images)) overlay.images = overlay.images.map(kustomizeImageOf);
    return { ...app, renderer: 'kustomize', ...(Object.keys(overlay).length > 0 ? { kustomizeOverlay: overlay } : {}) };
  }
  return directoryApp(app, source, context);
}

/** A directory source: its YAML/JSON files, and its `.jsonnet` files evaluated with the source's jsonnet settings. */
async function directoryApp(app: AppDefinition, source: ApplicationSource, context: SourceContext): Promise<AppDefinition> {
  const recurse = source.directory?.recurse === true;
  const env = await sourceEnv(app, source, context, source.directory?.jsonnet);
  const outcome = directorySource(source.directory, context.root, env);
  if ('unknownReason' in outcome) return { ...app, renderer: 'yaml', unknownReason: `${context.field}.${outcome.unknownReason}` };
  const files = await directoryFiles({ path: app.path, recurse, directory: outcome.directory });
  return { ...app, renderer: files.some(isJsonnetFile) ? 'jsonnet' : 'yaml', recurse, directory: outcome.directory };
}

/** The single-source fields of an app, as one source of a multi-source app. */
function asSource(app: AppDefinition): AppSource {
  const { renderer, path: folder, helm, recurse, kustomizeOverlay, directory, unknownReason, revisionNote: note } = app;
  return Object.fromEntries(Object.entries({ renderer, path: folder, helm, recurse, kustomizeOverlay, directory, unknownReason, revisionNote: note })
    .filter(([, value]) => value !== undefined)) as AppSource;
}

/**
 * `spec.sources` (Argo CD >= 2.6): each source that renders manifests is rendered on its own and the app is the
 * union; a source with `ref:` and no `path` only lends its files to the others' `$<ref>/...` value files.
 */
async function multiSourceApp(base: AppDefinition, sources: ApplicationSource[], context: Omit<SourceContext, 'refs' | 'field'>, where: string): Promise<AppDefinition> {
  const refs: RefSources = new Map(sources.filter((source) => source?.ref).map((source) => [`$${source.ref}`, source]));
  const rendering = sources.map((source, index) => ({ source: source ?? {}, index })).filter(({ source }) => !(source.ref && !source.path && !source.chart));
  if (rendering.length === 0) {
    return { ...base, unknownReason: `${where}: spec.sources has no source that renders manifests (each has ref: and no path)` };
  }
  const apps = await Promise.all(rendering.map(({ source, index }) => sourceApp(base, source, { ...context, refs, field: `${where}: spec.sources[${index}]` })));
  if (apps.length === 1) return apps[0];
  const unknown = apps.findIndex((app) => app.unknownReason);
  const first = apps[0];
  return {
    ...first, sources: apps.map(asSource),
    ...(unknown >= 0 ? { unknownReason: `source ${unknown + 1} of ${apps.length}: ${apps[unknown].unknownReason}` } : {}),
    ...(apps.find((app) => app.revisionNote) ? { revisionNote: apps.find((app) => app.revisionNote)!.revisionNote } : {}),
  };
}

async function applicationApp(object: KubeObject, declaredAt: SourceLocation, root: string, identity: RepoIdentity, clusters?: ArgoCluster[], remote?: RemoteGitOptions): Promise<AppDefinition> {
  const spec = (object.spec ?? {}) as ApplicationSpec;
  const base: AppDefinition = {
    name: object.metadata.name, environment: environmentOf(root, declaredAt.file, spec.destination, clusters), renderer: 'yaml',
    path: path.dirname(declaredAt.file), origin: 'argo-application', declaredAt,
    controller: { apiVersion: object.apiVersion, kind: 'Application', name: object.metadata.name, namespace: object.metadata.namespace ?? 'argocd' },
    ...(spec.destination?.namespace ? { namespace: spec.destination.namespace } : {}),
  };
  const where = `${declaredAt.file}${declaredAt.line ? `:${declaredAt.line}` : ''}`;
  const context = { root, identity, project: spec.project, remote };
  // With `sources` set, Argo CD ignores `source`.
  if (Array.isArray(spec.sources) && spec.sources.length > 0) return multiSourceApp(base, spec.sources, context, where);
  return sourceApp(base, spec.source ?? {}, { ...context, refs: new Map(), field: `${where}: spec.source` });
}

/**
 * The app-of-apps chart as an app, and (when helm can render it) the Applications it makes. When an Application
 * of the repo already renders the chart (a root app), that Application is the app: the chart is not listed twice.
 */
async function appOfAppsChart(chart: HelmChartFolder, root: string, identity: RepoIdentity, options: ToolOptions & { coveredByApplication: boolean }): Promise<AppDefinition[]> {
  const { tools } = options;
  const name = path.basename(chart.dir);
  const chartApp: AppDefinition = {
    name, environment: environmentOfPath(root, chart.dir) ?? 'in-cluster', renderer: 'helm', path: chart.dir,
    origin: 'argo-application', declaredAt: { file: path.join(chart.dir, 'Chart.yaml') },
    helm: { chartPath: chart.dir, releaseName: name, valuesFiles: [] },
  };
  const itself = (app: AppDefinition) => (options.coveredByApplication ? [] : [app]);
  if (options.allowTools === false) {
    return itself({ ...chartApp, unknownReason: `${new ToolNotAllowedError('helm').message}: the app-of-apps chart ${chart.dir} lists its Applications with helm` });
  }
  if (!await findExecutable('helm', tools?.helm)) {
    return itself({ ...chartApp, unknownReason: `helm not found: the app-of-apps chart ${chart.dir} needs helm to list its Applications` });
  }
  let rendered;
  try {
    rendered = await renderHelm(chartApp, options);
  } catch (error) {
    if (stoppedBy(error, options.signal)) throw error;
    return itself({ ...chartApp, unknownReason: `helm template ${chart.dir}: ${(error as Error).message}` });
  }
  const children = rendered.filter(({ object }) => object.kind === 'Application' && object.apiVersion.startsWith('argoproj.io/'));
  return [...itself(chartApp), ...await Promise.all(children.map(({ object, source }) => applicationApp(object, source, root, identity, undefined, options)))];
}

export interface ArgoOptions extends ToolOptions {
  /**
   * What the ApplicationSet clusters generator lists: the `.driftline.yaml` environments (Argo CD's cluster
   * Secrets live in the cluster, not in Git). Absent: read from `.driftline.yaml`, else Argo CD's `in-cluster`.
   */
  clusters?: ArgoCluster[];
  fetchGit?: GitFetcher;
}

/**
 * The Applications an ApplicationSet makes, each an app as if it were written in the ApplicationSet's file;
 * each generator that cannot be expanded is an Unknown app named after the ApplicationSet, saying why.
 */
async function applicationSetApps(object: KubeObject, declaredAt: SourceLocation, root: string, identity: RepoIdentity, clusters: ArgoCluster[], remote?: RemoteGitOptions): Promise<AppDefinition[]> {
  const expansion = await expandApplicationSet(object, { root, identity, clusters });
  const apps = await Promise.all(expansion.applications.map((application) => applicationApp(application, declaredAt, root, identity, clusters, remote)));
  if (expansion.unexpanded.length > 0) {
    apps.push({
      name: object.metadata.name, environment: environmentOfPath(root, declaredAt.file) ?? 'in-cluster', renderer: 'yaml',
      path: path.dirname(declaredAt.file), origin: 'argo-application', declaredAt,
      unknownReason: `ApplicationSet ${object.metadata.name}: ${expansion.unexpanded.join('; ')}`,
    });
  }
  return apps;
}

export const IN_CLUSTER: ArgoCluster = { name: 'in-cluster', server: IN_CLUSTER_SERVER };

/**
 * The `.driftline.yaml` environments as the clusters generator's clusters, else Argo CD's own in-cluster.
 * Discovery does not read kubeconfig: a cluster's `server` is its environment's name, and an Application whose
 * `destination.server` is that name belongs to that environment.
 */
async function configuredClusters(root: string): Promise<ArgoCluster[]> {
  const environments = (await loadConfig(root).catch(() => undefined))?.config?.environments ?? [];
  return environments.length > 0 ? environments.map((environment) => ({ name: environment.name, server: environment.name })) : [IN_CLUSTER];
}

export async function discoverArgo(scan: RepoScan, identity: RepoIdentity, options: ArgoOptions = {}): Promise<ArgoDiscovery> {
  const apps: AppDefinition[] = [];
  const problems: DiscoveryProblem[] = [];
  for (const { object, file, line } of objectsOf(scan, 'argoproj.io', 'Application')) {
    apps.push(await applicationApp(object, { file, line }, scan.root, identity, undefined, options));
  }
  const chartsOfApplications = new Set(apps.filter((app) => app.renderer === 'helm').map((app) => path.resolve(app.helm?.chartPath ?? app.path)));
  for (const chart of scan.charts.filter((candidate) => candidate.makesArgoApplications)) {
    apps.push(...await appOfAppsChart(chart, scan.root, identity, { ...options, coveredByApplication: chartsOfApplications.has(path.resolve(chart.dir)) }));
  }
  const clusters = options.clusters ?? await configuredClusters(scan.root);
  for (const { object, file, line } of objectsOf(scan, 'argoproj.io', 'ApplicationSet')) {
    apps.push(...await applicationSetApps(object, { file, line }, scan.root, identity, clusters, options));
  }
  return { apps, problems };
}
