// One pass over the repo's YAML: the Flux and Argo CD objects discovery reads (files that do not mention
// fluxcd.io or argoproj.io are not parsed: rendering reads app folders itself), and the Helm charts.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DiscoveryProblem, KubeObject } from '../model';
import { isYamlFile, listDirectories, listFiles } from '../render/listFiles';
import { ManifestParseError, parseManifests } from '../render/parseManifests';

export interface ScannedObject {
  object: KubeObject;
  file: string;
  line?: number;
}

export interface HelmChartFolder {
  dir: string;
  /** Its templates produce Argo CD Applications: an app-of-apps chart. */
  makesArgoApplications: boolean;
}

export interface RepoScan {
  root: string;
  objects: ScannedObject[];
  charts: HelmChartFolder[];
  problems: DiscoveryProblem[];
}

/** A YAML file that does not match this holds no Flux or Argo CD object. */
export const CONTROLLER_GROUPS = /fluxcd\.io|argoproj\.io/;

async function scanChart(dir: string): Promise<HelmChartFolder> {
  let makesArgoApplications = false;
  for (const file of await listFiles(path.join(dir, 'templates'), true)) {
    const text = await fs.readFile(file, 'utf8');
    if (/argoproj\.io\//.test(text) && /kind:\s*Application\b/.test(text)) makesArgoApplications = true;
  }
  return { dir, makesArgoApplications };
}

export async function scanRepo(root: string): Promise<RepoScan> {
  const scan: RepoScan = { root, objects: [], charts: [], problems: [] };
  async function visit(dir: string): Promise<void> {
    const files = await listFiles(dir, false);
    if (files.some((file) => path.basename(file) === 'Chart.yaml')) {
      // Chart templates are Go templates, not YAML: only `helm template` can read them.
      scan.charts.push(await scanChart(dir));
      return;
    }
    for (const file of files.filter(isYamlFile)) {
      const text = await fs.readFile(file, 'utf8');
      if (!CONTROLLER_GROUPS.test(text)) continue;
      try {
        for (const { object, source } of parseManifests(text, file)) scan.objects.push({ object, file, line: source.line });
      } catch (error) {
        const parseError = error as ManifestParseError;
        scan.problems.push({ file, line: parseError.line, message: parseError.message });
      }
    }
    for (const subdirectory of await listDirectories(dir)) await visit(subdirectory);
  }
  await visit(root);
  return scan;
}

/** Scanned objects of a kind in an API group (`kustomize.toolkit.fluxcd.io`), any version. */
export function objectsOf(scan: RepoScan, group: string, kind: string): ScannedObject[] {
  return scan.objects.filter(({ object }) => object.kind === kind && object.apiVersion.startsWith(`${group}/`));
}
