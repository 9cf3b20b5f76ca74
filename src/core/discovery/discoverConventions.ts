// Folder conventions, for folders no Flux or Argo CD object covers (CONVENTION_LAYOUTS lists them for users).
// A folder is an app when it holds a kustomization (not a kustomize Component) or Kubernetes manifests: a
// folder of values files or notes matches a layout but is no app. A cluster folder that holds Flux or Argo CD
// app objects is theirs, and so is every folder their apps render: conventions do not look there.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AppDefinition } from '../model';
import { findKustomizationFile } from '../render/kustomizeTree';
import { isWithin, listDirectories, listFiles } from '../render/listFiles';
import { isManifestFile } from '../render/renderYaml';
import { ENVIRONMENT_FOLDERS } from './environmentOfPath';
import type { RepoScan } from './scanRepo';

/** The layouts tried, as "no environments found" names them. */
export const CONVENTION_LAYOUTS = [
  'clusters|environments|envs/<env>/<app>',
  '<app>/overlays|envs|environments/<env>',
  'apps|components/<app>/<env>',
  'deploy/overlays/<env>',
];

/** How deep below the root conventions look for `clusters/`, `overlays/`... (monorepos nest a level or two). */
const MAX_DEPTH = 4;
/** Folders under an app's folder that hold one folder per environment. */
const PER_ENVIRONMENT_FOLDERS = ['overlays', ...ENVIRONMENT_FOLDERS.filter((name) => name !== 'clusters')];
/** Folders that group apps, each app with one folder per environment. */
const APP_GROUP_FOLDERS = ['apps', 'components'];
/** Folders beside the environments' that are shared by them, never an environment. */
const SHARED_FOLDERS = /^(base|bases|common|components|patches|resources|templates|charts?)$/i;
/** Kinds of Flux and Argo CD objects that declare apps: a folder holding one belongs to that controller. */
const APP_DECLARING_KINDS = /^(Kustomization|HelmRelease|FluxInstance|ResourceSet|Application|ApplicationSet)$/;

async function folderApp(name: string, environment: string, dir: string): Promise<AppDefinition | undefined> {
  const kustomization = await findKustomizationFile(dir);
  if (kustomization) {
    if (await isKustomizeComponent(kustomization)) return undefined;
    return { name, environment, renderer: 'kustomize', path: dir, origin: 'convention', declaredAt: { file: kustomization } };
  }
  if (!await holdsManifests(dir)) return undefined;
  return { name, environment, renderer: 'yaml', path: dir, recurse: true, origin: 'convention', declaredAt: { file: dir } };
}

async function isKustomizeComponent(file: string): Promise<boolean> {
  return /^kind:\s*Component\b/m.test(await fs.readFile(file, 'utf8').catch(() => ''));
}

/** Whether a YAML file in the folder (or below it) is a Kubernetes object: apiVersion and kind at the top level. */
async function holdsManifests(dir: string): Promise<boolean> {
  for (const file of (await listFiles(dir, true)).filter(isManifestFile)) {
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    if (/^apiVersion:\s*\S/m.test(text) && /^kind:\s*\S/m.test(text)) return true;
  }
  return false;
}

class Coverage {
  constructor(private readonly scan: RepoScan, private readonly controllerFolders: string[]) {}

  /** A folder a controller's app renders (or a folder inside one, or one holding one) is the controller's. */
  covers(dir: string): boolean {
    return this.controllerFolders.some((folder) => isWithin(dir, folder) || isWithin(folder, dir));
  }

  /** A cluster folder that declares Flux or Argo CD apps; other objects of those groups (an Argo Rollout) do not count. */
  declaresApps(dir: string): boolean {
    return this.scan.objects.some(({ file, object }) => APP_DECLARING_KINDS.test(object.kind) && isWithin(file, dir));
  }
}

async function environmentFolderApps(coverage: Coverage, environmentsDir: string): Promise<AppDefinition[]> {
  const apps: AppDefinition[] = [];
  for (const environmentDir of await listDirectories(environmentsDir)) {
    if (coverage.declaresApps(environmentDir)) continue;
    const environment = path.basename(environmentDir);
    for (const appDir of await listDirectories(environmentDir)) {
      if (coverage.covers(appDir)) continue;
      const app = await folderApp(path.basename(appDir), environment, appDir);
      if (app) apps.push(app);
    }
  }
  return apps;
}

/** `<app>/<overlays>/<env>`: one app, a folder per environment. */
async function perEnvironmentApps(coverage: Coverage, root: string, environmentsDir: string): Promise<AppDefinition[]> {
  const owner = path.dirname(environmentsDir);
  // `deploy/overlays/<env>` belongs to the folder that holds deploy/ (the repo itself at the top).
  const appFolder = path.basename(owner) === 'deploy' ? path.dirname(owner) : owner;
  const name = path.basename(appFolder === root ? root : appFolder);
  const apps: AppDefinition[] = [];
  for (const environmentDir of await listDirectories(environmentsDir)) {
    if (SHARED_FOLDERS.test(path.basename(environmentDir)) || coverage.covers(environmentDir)) continue;
    const app = await folderApp(name, path.basename(environmentDir), environmentDir);
    if (app) apps.push(app);
  }
  return apps;
}

/**
 * Whether an `envs/` folder is an app's (`<app>/envs/<env>`: each environment folder is the app itself) rather
 * than a repo's (`envs/<env>/<app>`): some environment folder holds a kustomization or manifests of its own.
 */
async function holdsAppsDirectly(environmentsDir: string): Promise<boolean> {
  for (const environmentDir of await listDirectories(environmentsDir)) {
    if (await findKustomizationFile(environmentDir)) return true;
    if ((await listFiles(environmentDir, false)).some(isManifestFile)) return true;
  }
  return false;
}

/** `apps|components/<app>/<env>`: each app folder holds a folder per environment (and maybe a shared base). */
async function groupedApps(coverage: Coverage, groupDir: string): Promise<AppDefinition[]> {
  const apps: AppDefinition[] = [];
  for (const appDir of await listDirectories(groupDir)) {
    // An app folder that is itself a kustomization, or lays out its environments under overlays/ or envs/, is
    // another layout's (or a base).
    if (SHARED_FOLDERS.test(path.basename(appDir)) || coverage.covers(appDir) || await findKustomizationFile(appDir)) continue;
    const children = await listDirectories(appDir);
    if (children.some((child) => PER_ENVIRONMENT_FOLDERS.includes(path.basename(child)))) continue;
    for (const environmentDir of children) {
      if (SHARED_FOLDERS.test(path.basename(environmentDir)) || coverage.covers(environmentDir)) continue;
      const app = await folderApp(path.basename(appDir), path.basename(environmentDir), environmentDir);
      if (app) apps.push(app);
    }
  }
  return apps;
}

/** Apps by folder layout; `controllerFolders`: the folders Flux and Argo CD apps render, left to them. */
export async function discoverConventions(scan: RepoScan, controllerFolders: string[] = []): Promise<AppDefinition[]> {
  const coverage = new Coverage(scan, controllerFolders);
  const apps: AppDefinition[] = [];
  async function visit(dir: string, depth: number): Promise<void> {
    for (const child of await listDirectories(dir)) {
      const name = path.basename(child);
      if (scan.charts.some((chart) => chart.dir === child)) continue;
      if (name === 'overlays' || (PER_ENVIRONMENT_FOLDERS.includes(name) && depth > 1 && await holdsAppsDirectly(child))) {
        apps.push(...await perEnvironmentApps(coverage, scan.root, child));
      } else if (ENVIRONMENT_FOLDERS.includes(name)) {
        apps.push(...await environmentFolderApps(coverage, child));
      } else {
        // Only in repos without controller apps: there, `apps/` is often a Flux tree's (apps/base, apps/staging).
        if (APP_GROUP_FOLDERS.includes(name) && controllerFolders.length === 0) apps.push(...await groupedApps(coverage, child));
        if (depth < MAX_DEPTH) await visit(child, depth + 1);
      }
    }
  }
  await visit(scan.root, 1);
  return apps;
}
