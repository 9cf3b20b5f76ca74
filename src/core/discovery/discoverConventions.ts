// Folder conventions, for repos without Flux or Argo CD objects:
//   environments|envs|clusters/<env>/<app>/    each app folder of each environment
//   <app>/overlays/<env>/                      the app's kustomize overlay per environment
//   deploy/overlays/<env>/                     the repo (or the folder holding deploy/) is the app
// A cluster folder that holds Flux or Argo CD objects is theirs: conventions do not look inside it.
import path from 'node:path';
import type { AppDefinition } from '../model';
import { findKustomizationFile } from '../render/kustomizeTree';
import { isWithin, isYamlFile, listDirectories, listFiles } from '../render/listFiles';
import { ENVIRONMENT_FOLDERS } from './environmentOfPath';
import type { RepoScan } from './scanRepo';

/** How deep below the root conventions look for `clusters/`, `overlays/`... (monorepos nest a level or two). */
const MAX_DEPTH = 4;

async function folderApp(name: string, environment: string, dir: string): Promise<AppDefinition | undefined> {
  const kustomization = await findKustomizationFile(dir);
  if (kustomization) return { name, environment, renderer: 'kustomize', path: dir, origin: 'convention', declaredAt: { file: kustomization } };
  const manifests = (await listFiles(dir, true)).filter(isYamlFile);
  if (manifests.length === 0) return undefined;
  return { name, environment, renderer: 'yaml', path: dir, recurse: true, origin: 'convention', declaredAt: { file: dir } };
}

function ownedByController(scan: RepoScan, dir: string): boolean {
  return scan.objects.some(({ file }) => isWithin(file, dir));
}

async function environmentFolderApps(scan: RepoScan, environmentsDir: string): Promise<AppDefinition[]> {
  const apps: AppDefinition[] = [];
  for (const environmentDir of await listDirectories(environmentsDir)) {
    if (ownedByController(scan, environmentDir)) continue;
    const environment = path.basename(environmentDir);
    for (const appDir of await listDirectories(environmentDir)) {
      const app = await folderApp(path.basename(appDir), environment, appDir);
      if (app) apps.push(app);
    }
  }
  return apps;
}

async function overlayApps(root: string, overlaysDir: string): Promise<AppDefinition[]> {
  const owner = path.dirname(overlaysDir);
  // `deploy/overlays/<env>` belongs to the folder that holds deploy/ (the repo itself at the top).
  const appFolder = path.basename(owner) === 'deploy' ? path.dirname(owner) : owner;
  const name = path.basename(appFolder === root ? root : appFolder);
  const apps: AppDefinition[] = [];
  for (const environmentDir of await listDirectories(overlaysDir)) {
    const app = await folderApp(name, path.basename(environmentDir), environmentDir);
    if (app) apps.push(app);
  }
  return apps;
}

export async function discoverConventions(scan: RepoScan): Promise<AppDefinition[]> {
  const apps: AppDefinition[] = [];
  async function visit(dir: string, depth: number): Promise<void> {
    for (const child of await listDirectories(dir)) {
      const name = path.basename(child);
      if (scan.charts.some((chart) => chart.dir === child)) continue;
      if (ENVIRONMENT_FOLDERS.includes(name)) apps.push(...await environmentFolderApps(scan, child));
      else if (name === 'overlays') apps.push(...await overlayApps(scan.root, child));
      else if (depth < MAX_DEPTH) await visit(child, depth + 1);
    }
  }
  await visit(scan.root, 1);
  return apps;
}
