// repo -> environments and apps. Sources, in order of precedence: `.driftline.yaml`, Flux objects, Argo CD
// Applications, folder conventions. The first source to name an app (environment + name) wins; a config
// entry without `path` amends the discovered app of that name instead (its namespace, renderer, helm).
import path from 'node:path';
import type { AppDefinition, DiscoveryProblem, EnvironmentDefinition, RendererKind, RepoModel, ToolPaths } from '../model';
import { findKustomizationFile } from '../render/kustomizeTree';
import { exists } from '../render/listFiles';
import { discoverArgo } from './discoverArgo';
import { discoverConventions } from './discoverConventions';
import { discoverFlux } from './discoverFlux';
import type { GitFetcher } from '../sources/gitTypes';
import { gitFetcherWithMirrors } from '../sources/mirrors';
import { loadConfig, type ConfigApp, type DriftlineConfig } from './loadConfig';
import { RepoIdentity } from './repoIdentity';
import { scanRepo } from './scanRepo';

export interface DiscoveryOptions {
  /** More URLs that name this repo, besides its git remotes and `repoURLs` in `.driftline.yaml`. */
  repoURLs?: string[];
  /** Tool paths; override `tools` of `.driftline.yaml`. helm expands app-of-apps charts. */
  tools?: ToolPaths;
  /** Longest one tool run of discovery may take (default 120 s). */
  timeoutMs?: number;
  /** False in an untrusted workspace: discovery runs no kustomize or helm (what needs them says so). */
  allowTools?: boolean;
  /** Stops discovery: its tool processes are killed and it rejects with the abort reason at once. */
  signal?: AbortSignal;
  /** Fetches Git sources of other repositories (the workspace's, with its cache); without it they are Unknown. */
  fetchGit?: GitFetcher;
}

async function detectRenderer(dir: string): Promise<RendererKind> {
  if (await exists(path.join(dir, 'Chart.yaml'))) return 'helm';
  return (await findKustomizationFile(dir)) ? 'kustomize' : 'yaml';
}

async function configuredApps(root: string, file: string, entry: ConfigApp, problems: DiscoveryProblem[]): Promise<AppDefinition[]> {
  const apps: AppDefinition[] = [];
  for (const environment of entry.environments) {
    const folder = path.resolve(root, entry.path!.replaceAll('{environment}', environment));
    const folderExists = await exists(folder);
    if (!folderExists) problems.push({ file, line: entry.line, message: `app "${entry.name}" (${environment}): path ${folder} does not exist` });
    const renderer = entry.renderer ?? (folderExists ? await detectRenderer(folder) : 'yaml');
    const app: AppDefinition = {
      name: entry.name, environment, renderer, path: folder, origin: 'config', declaredAt: { file, line: entry.line },
      ...(entry.namespace ? { namespace: entry.namespace } : {}),
      ...(entry.recurse !== undefined ? { recurse: entry.recurse } : {}),
      ...(folderExists ? {} : { unknownReason: `path ${folder} does not exist (${file}${entry.line ? `:${entry.line}` : ''})` }),
    };
    if (renderer === 'helm') {
      app.helm = {
        chartPath: folder, releaseName: entry.helm?.releaseName ?? entry.name,
        valuesFiles: (entry.helm?.valuesFiles ?? []).map((values) => path.resolve(folder, values)),
        ...(entry.helm?.values ? { values: entry.helm.values } : {}),
      };
    }
    apps.push(app);
  }
  return apps;
}

/** Applies a path-less config entry to the discovered app it names. */
function amend(app: AppDefinition, entry: ConfigApp): AppDefinition {
  const amended: AppDefinition = { ...app };
  if (entry.namespace) amended.namespace = entry.namespace;
  if (entry.renderer) amended.renderer = entry.renderer;
  if (entry.recurse !== undefined) amended.recurse = entry.recurse;
  if (entry.helm && amended.helm) {
    amended.helm = {
      ...amended.helm,
      ...(entry.helm.releaseName ? { releaseName: entry.helm.releaseName } : {}),
      valuesFiles: [...amended.helm.valuesFiles, ...entry.helm.valuesFiles.map((values) => path.resolve(app.path, values))],
      ...(entry.helm.values ? { values: { ...amended.helm.values, ...entry.helm.values } } : {}),
    };
  }
  return amended;
}

async function discoveredApps(root: string, config: DriftlineConfig | undefined, options: DiscoveryOptions, tools: ToolPaths) {
  const switches = config?.discovery ?? { flux: true, argo: true, conventions: true };
  const scan = await scanRepo(root);
  const identity = await RepoIdentity.of(root, [...(config?.repoURLs ?? []), ...(options.repoURLs ?? [])]);
  const fetchGit = options.fetchGit && gitFetcherWithMirrors(options.fetchGit, config?.mirrors);
  const toolOptions = { tools, timeoutMs: options.timeoutMs, allowTools: options.allowTools, signal: options.signal, fetchGit };
  options.signal?.throwIfAborted();
  const flux = switches.flux
    ? await discoverFlux(scan, identity, { ...toolOptions, kubeConfigs: config?.kubeConfigs, configuredEnvironments: config?.environments })
    : { apps: [], environments: [], contexts: {}, problems: [] };
  const argo = switches.argo ? await discoverArgo(scan, identity, toolOptions) : { apps: [], problems: [] };
  const controllerFolders = [...flux.apps, ...argo.apps].map((app) => app.path);
  const conventions = switches.conventions ? await discoverConventions(scan, controllerFolders) : [];
  options.signal?.throwIfAborted();
  return {
    apps: [...flux.apps, ...argo.apps, ...conventions],
    environments: flux.environments,
    problems: [...scan.problems, ...flux.problems, ...argo.problems],
    contexts: flux.contexts,
    controllerFiles: [...new Set([
      ...scan.objects.map(({ file }) => file), ...scan.charts.filter((chart) => chart.makesArgoApplications).map((chart) => chart.dir),
    ])],
  };
}

function sameFolder(a: AppDefinition, b: AppDefinition): boolean {
  return a.environment === b.environment && a.path === b.path && a.renderer === b.renderer;
}

export async function discoverRepo(root: string, options: DiscoveryOptions = {}): Promise<RepoModel> {
  options.signal?.throwIfAborted();
  root = path.resolve(root);
  const loaded = await loadConfig(root);
  const config = loaded?.config;
  const problems: DiscoveryProblem[] = [...(loaded?.problems ?? [])];
  const tools: ToolPaths = { ...config?.tools, ...options.tools };

  const byKey = new Map<string, AppDefinition>();
  const keyOf = (app: AppDefinition) => `${app.environment}/${app.name}`;
  for (const entry of config?.apps.filter((candidate) => candidate.path) ?? []) {
    for (const app of await configuredApps(root, config!.file, entry, problems)) {
      if (byKey.has(keyOf(app))) {
        problems.push({ file: config!.file, line: entry.line, message: `app "${app.name}" is declared twice for environment ${app.environment}; the first entry counts` });
      } else {
        byKey.set(keyOf(app), app);
      }
    }
  }
  const discovered = await discoveredApps(root, config, options, tools);
  problems.push(...discovered.problems);
  for (const app of discovered.apps) {
    const duplicateByFolder = app.origin === 'convention' && [...byKey.values()].some((existing) => sameFolder(existing, app));
    if (!byKey.has(keyOf(app)) && !duplicateByFolder) byKey.set(keyOf(app), app);
  }
  for (const entry of config?.apps.filter((candidate) => !candidate.path) ?? []) {
    for (const environment of entry.environments) {
      const key = `${environment}/${entry.name}`;
      const app = byKey.get(key);
      if (app) byKey.set(key, amend(app, entry));
      else problems.push({ file: config!.file, line: entry.line, message: `app "${entry.name}" has no path and no app of that name was discovered in environment ${environment}` });
    }
  }

  const configured = config?.environments ?? [];
  const names = [
    ...configured.map((environment) => environment.name),
    ...[...new Set([...discovered.environments, ...[...byKey.values()].map((app) => app.environment)])].sort(),
  ];
  const environments: EnvironmentDefinition[] = [...new Set(names)].map((name) => {
    const declared = configured.find((environment) => environment.name === name);
    // A cluster reached through a Flux kubeConfig secret has the context `kubeConfigs` maps it to.
    const context = declared?.context ?? discovered.contexts[name];
    return {
      name,
      ...(context ? { context } : {}),
      protected: declared?.protected ?? false,
      apps: [...byKey.values()].filter((app) => app.environment === name).sort((a, b) => a.name.localeCompare(b.name)),
    };
  });
  const mirrors = config?.mirrors && Object.keys(config.mirrors).length > 0 ? { sourceMirrors: config.mirrors } : {};
  return { root, environments, ignoreRules: config?.ignoreRules ?? [], problems, tools, controllerFiles: discovered.controllerFiles, ...mirrors };
}
