// Argo CD: each Application (argoproj.io) in the repo is an app: `spec.source.path` in this repo, rendered the
// way Argo CD would (Helm chart, kustomization, or a plain directory), into the destination namespace. An
// app-of-apps Helm chart (templates that make Applications) is an app too, and is expanded with helm.
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { stoppedBy } from '../abort';
import type { AppDefinition, DiscoveryProblem, KubeObject, SourceLocation } from '../model';
import type { ToolOptions } from '../render/options';
import { findKustomizationFile } from '../render/kustomizeTree';
import { exists } from '../render/listFiles';
import { renderHelm } from '../render/renderHelm';
import { findExecutable, ToolNotAllowedError } from '../render/runTool';
import { revisionNote } from './argoRevision';
import { environmentOfPath } from './environmentOfPath';
import { expandApplicationSet, type ArgoCluster } from './expandApplicationSet';
import { loadConfig } from './loadConfig';
import type { RepoIdentity } from './repoIdentity';
import { objectsOf, type HelmChartFolder, type RepoScan } from './scanRepo';
import { argoChartRepoURL } from '../sources/argoChartSource';

export interface ArgoDiscovery {
  apps: AppDefinition[];
  problems: DiscoveryProblem[];
}

interface ApplicationSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  helm?: { releaseName?: string; valueFiles?: string[]; values?: string; valuesObject?: Record<string, unknown> };
  kustomize?: Record<string, unknown>;
  directory?: { recurse?: boolean };
  plugin?: { name?: string };
}

interface ApplicationSpec {
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  destination?: { server?: string; name?: string; namespace?: string };
}

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

function helmValues(helm: ApplicationSource['helm']): Record<string, unknown> | undefined {
  const fromString = helm?.values ? (parseYaml(helm.values) as Record<string, unknown> | null) ?? {} : {};
  const merged = { ...fromString, ...(helm?.valuesObject ?? {}) };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

async function sourceApp(base: AppDefinition, source: ApplicationSource, root: string, identity: RepoIdentity): Promise<AppDefinition> {
  if (source.chart) {
    // The chart is fetched when the app renders (the workspace's chart fetcher, sources/).
    const values = helmValues(source.helm);
    const helm = {
      chart: source.chart, repoURL: argoChartRepoURL(source.repoURL), version: source.targetRevision, releaseName: source.helm?.releaseName ?? base.name,
      valuesFiles: [], ...(values ? { values } : {}),
    };
    const valueFiles = source.helm?.valueFiles ?? [];
    return { ...base, renderer: 'helm', helm,
      ...(valueFiles.length > 0 ? { unknownReason: `helm.valueFiles (${valueFiles.join(', ')}) of chart ${source.chart} are files inside the chart, which are not read yet` } : {}) };
  }
  if (!identity.isThisRepo(source.repoURL)) {
    return { ...base, unknownReason: `source ${source.repoURL ?? '(no repoURL)'} is not this repository and needs network (add it to repoURLs in .driftline.yaml if it is this one)` };
  }
  const folder = path.resolve(root, source.path ?? '.');
  if (!await exists(folder)) return { ...base, path: folder, unknownReason: `spec.source.path ${source.path} (${folder}) does not exist in the repository` };
  const note = await revisionNote(root, source.targetRevision);
  const app: AppDefinition = { ...base, path: folder, ...(note ? { revisionNote: note } : {}) };
  if (source.plugin) return { ...app, unknownReason: `config management plugin ${source.plugin.name ?? ''} is not supported` };
  if (source.helm || await exists(path.join(folder, 'Chart.yaml'))) {
    const values = helmValues(source.helm);
    return { ...app, renderer: 'helm', helm: {
      chartPath: folder, releaseName: source.helm?.releaseName ?? base.name,
      valuesFiles: (source.helm?.valueFiles ?? []).map((file) => path.resolve(folder, file)), ...(values ? { values } : {}),
    } };
  }
  if (source.kustomize || await findKustomizationFile(folder)) {
    const overlay = Object.fromEntries(Object.entries(source.kustomize ?? {}).filter(([key]) => KUSTOMIZE_OVERLAY_FIELDS.includes(key)));
    if (Array.isArray(overlay.components)) overlay.components = overlay.components.map((component: string) => path.resolve(folder, component));
    return { ...app, renderer: 'kustomize', ...(Object.keys(overlay).length > 0 ? { kustomizeOverlay: overlay } : {}) };
  }
  return { ...app, renderer: 'yaml', recurse: source.directory?.recurse === true };
}

async function applicationApp(object: KubeObject, declaredAt: SourceLocation, root: string, identity: RepoIdentity, clusters?: ArgoCluster[]): Promise<AppDefinition> {
  const spec = (object.spec ?? {}) as ApplicationSpec;
  const source = spec.source ?? spec.sources?.find((candidate) => candidate.path || candidate.chart) ?? {};
  const base: AppDefinition = {
    name: object.metadata.name, environment: environmentOf(root, declaredAt.file, spec.destination, clusters), renderer: 'yaml',
    path: path.dirname(declaredAt.file), origin: 'argo-application', declaredAt,
    controller: { apiVersion: object.apiVersion, kind: 'Application', name: object.metadata.name, namespace: object.metadata.namespace ?? 'argocd' },
    ...(spec.destination?.namespace ? { namespace: spec.destination.namespace } : {}),
  };
  return sourceApp(base, source, root, identity);
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
  return [...itself(chartApp), ...await Promise.all(children.map(({ object, source }) => applicationApp(object, source, root, identity)))];
}

export interface ArgoOptions extends ToolOptions {
  /**
   * What the ApplicationSet clusters generator lists: the `.driftline.yaml` environments (Argo CD's cluster
   * Secrets live in the cluster, not in Git). Absent: read from `.driftline.yaml`, else Argo CD's `in-cluster`.
   */
  clusters?: ArgoCluster[];
}

/**
 * The Applications an ApplicationSet makes, each an app as if it were written in the ApplicationSet's file;
 * each generator that cannot be expanded is an Unknown app named after the ApplicationSet, saying why.
 */
async function applicationSetApps(object: KubeObject, declaredAt: SourceLocation, root: string, identity: RepoIdentity, clusters: ArgoCluster[]): Promise<AppDefinition[]> {
  const expansion = await expandApplicationSet(object, { root, identity, clusters });
  const apps = await Promise.all(expansion.applications.map((application) => applicationApp(application, declaredAt, root, identity, clusters)));
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
    apps.push(await applicationApp(object, { file, line }, scan.root, identity));
  }
  const chartsOfApplications = new Set(apps.filter((app) => app.renderer === 'helm').map((app) => path.resolve(app.helm?.chartPath ?? app.path)));
  for (const chart of scan.charts.filter((candidate) => candidate.makesArgoApplications)) {
    apps.push(...await appOfAppsChart(chart, scan.root, identity, { ...options, coveredByApplication: chartsOfApplications.has(path.resolve(chart.dir)) }));
  }
  const clusters = options.clusters ?? await configuredClusters(scan.root);
  for (const { object, file, line } of objectsOf(scan, 'argoproj.io', 'ApplicationSet')) {
    apps.push(...await applicationSetApps(object, { file, line }, scan.root, identity, clusters));
  }
  return { apps, problems };
}
