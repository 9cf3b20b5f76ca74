// One pass over the repo's YAML: the Flux and Argo CD objects discovery reads (files that do not mention
// fluxcd.io or argoproj.io are not parsed: rendering reads app folders itself), and the Helm charts.
import path from 'node:path';
import { messageOf } from '../errors';
import type { DiscoveryProblem, KubeObject } from '../model';
import { FileReads, readTextFile } from '../render/fileReads';
import { isYamlFile, listDirectories, listFiles } from '../render/listFiles';
import { ManifestParseError, manifestsOf, parseYamlDocuments } from '../render/parseManifests';
import { parseQuickly } from '../render/parsedYamlFiles';
import { CONFIG_FILE_NAME } from './loadConfig';

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
  /**
   * The files the scan read (every YAML file of the repo). Discovery reads many again (kustomizations, the
   * inputs of each Kustomization's folder): they come from here instead of the disk, as the same version.
   */
  reads?: FileReads;
}

/** A YAML file that does not match this holds no Flux, Flux Operator or Argo CD object. */
export const CONTROLLER_GROUPS = /fluxcd\.io|fluxcd\.controlplane\.io|argoproj\.io/;

async function scanChart(dir: string): Promise<HelmChartFolder> {
  let makesArgoApplications = false;
  for (const file of await listFiles(path.join(dir, 'templates'), true)) {
    const text = await readTextFile(file);
    if (/argoproj\.io\//.test(text) && /kind:\s*Application\b/.test(text)) makesArgoApplications = true;
  }
  return { dir, makesArgoApplications };
}

export async function scanRepo(root: string, reads = new FileReads()): Promise<RepoScan> {
  const scan: RepoScan = { root, objects: [], charts: [], problems: [], reads };
  const configFile = path.join(root, CONFIG_FILE_NAME);
  /** One folder's findings; folders and files are read in parallel and their findings kept in walk order. */
  type Found = { objects: ScannedObject[]; charts: HelmChartFolder[]; problems: RepoScan['problems'] };
  async function scanFile(file: string): Promise<Found> {
    const found: Found = { objects: [], charts: [], problems: [] };
    let text: string;
    try {
      text = await reads.readText(file);
    } catch (error) {
      // One file that cannot be read (permissions, a broken link) hides only its own objects, and says so.
      found.problems.push({ file, message: `cannot read: ${messageOf(error)}` });
      return found;
    }
    if (!CONTROLLER_GROUPS.test(text)) return found;
    try {
      // js-yaml first (the `yaml` Document API took ~0.25 s of a 500-Kustomization tree's scan); it words the errors.
      const documents = parseQuickly(text, file) ?? parseYamlDocuments(text, file);
      for (const { object, source } of manifestsOf(documents, file)) found.objects.push({ object, file, line: source.line });
    } catch (error) {
      // The problem carries the file and line: its message is the error's detail alone, not `file:line: ...` again.
      if (error instanceof ManifestParseError) found.problems.push({ file, ...(error.line !== undefined ? { line: error.line } : {}), message: `invalid YAML: ${error.detail}` });
      else found.problems.push({ file, message: messageOf(error) });
    }
    return found;
  }
  async function visit(dir: string): Promise<Found[]> {
    const [files, subdirectories] = await Promise.all([listFiles(dir, false), listDirectories(dir)]);
    if (files.some((file) => path.basename(file) === 'Chart.yaml')) {
      // Chart templates are Go templates, not YAML: only `helm template` can read them.
      return [{ objects: [], charts: [await scanChart(dir)], problems: [] }];
    }
    const [inFiles, inSubdirectories] = await Promise.all([
      // `.driftline.yaml` holds no controller object; loadConfig reads it (and reports when it cannot).
      Promise.all(files.filter((file) => isYamlFile(file) && file !== configFile).map(scanFile)),
      Promise.all(subdirectories.map(visit)),
    ]);
    return [...inFiles, ...inSubdirectories.flat()];
  }
  for (const found of await visit(root)) {
    scan.objects.push(...found.objects);
    scan.charts.push(...found.charts);
    scan.problems.push(...found.problems);
  }
  return scan;
}

/**
 * Answers of objectsOf and objectsInFile for each scan's objects, while none is added (discovery adds the
 * sources operators generate): a tree's discovery looks up its GitRepository three times per Kustomization,
 * and each built object's file.
 */
const lookups = new WeakMap<ScannedObject[], { count: number; found: Map<string, ScannedObject[]> }>();

function lookedUp(scan: RepoScan, key: string, find: (found: ScannedObject) => boolean): ScannedObject[] {
  let index = lookups.get(scan.objects);
  if (index?.count !== scan.objects.length) {
    index = { count: scan.objects.length, found: new Map() };
    lookups.set(scan.objects, index);
  }
  let found = index.found.get(key);
  if (!found) {
    found = scan.objects.filter(find);
    index.found.set(key, found);
  }
  return found;
}

/** Scanned objects of a kind in an API group (`kustomize.toolkit.fluxcd.io`), any version; shared: never change the list. */
export function objectsOf(scan: RepoScan, group: string, kind: string): ScannedObject[] {
  return lookedUp(scan, `kind ${group}/${kind}`, ({ object }) => object.kind === kind && object.apiVersion.startsWith(`${group}/`));
}

/** Scanned objects of one file, in its order; shared: never change the list. */
export function objectsInFile(scan: RepoScan, file: string): ScannedObject[] {
  return lookedUp(scan, `file ${file}`, (found) => found.file === file);
}
