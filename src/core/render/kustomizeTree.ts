// Walks a kustomize tree (kustomization.yaml -> resources, bases, components, patches, generators) without
// running kustomize: to know every file a build reads (cache hash, "which apps does this change affect"),
// which YAML files define objects (Go to source), and what the build would fetch from the network.
import path from 'node:path';
import { FileReads } from './fileReads';
import { readYamlDocuments } from './parsedYamlFiles';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface KustomizeTree {
  /** Every kustomization file visited, root first. */
  kustomizationFiles: string[];
  /** Files listed as `resources`/`bases`/`crds`: where objects are defined. */
  resourceFiles: string[];
  /** Every file the build may read: the visited folders' files and referenced files elsewhere. */
  inputFiles: string[];
  /** Folders visited: a file added there can change the build. */
  inputDirs: string[];
  /** Remote resources (URLs) a build would fetch. */
  remoteResources: string[];
  /** Some kustomization inflates Helm charts (`helmCharts`): the build needs `--enable-helm` and helm. */
  inflatesHelmCharts: boolean;
  /** The first problem found walking the tree (a missing base, malformed kustomization), if any. */
  problem?: string;
}

export async function findKustomizationFile(dir: string, reads = new FileReads()): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const candidate = path.join(dir, name);
    if ((await reads.stat(candidate))?.isFile()) return candidate;
  }
  return undefined;
}

function isRemote(reference: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(reference) || reference.startsWith('git@') ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(reference) || reference.includes('?ref=');
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `key=path` or `path` entries of generator `files`/`envs`. */
function generatorFiles(generators: unknown): string[] {
  if (!Array.isArray(generators)) return [];
  return generators.flatMap((generator: Record<string, unknown>) => [
    ...strings(generator?.files), ...strings(generator?.envs), ...(typeof generator?.env === 'string' ? [generator.env] : []),
  ]).map((entry) => entry.slice(entry.indexOf('=') + 1));
}

/** Files named by a kustomization besides its resources (patches, generator inputs, replacements...). */
function referencedFiles(kustomization: Record<string, unknown>): string[] {
  const pathsOf = (list: unknown) =>
    Array.isArray(list) ? list.map((item) => item?.path).filter((p): p is string => typeof p === 'string') : [];
  const patchesStrategicMerge = strings(kustomization.patchesStrategicMerge).filter((entry) => !entry.includes('\n'));
  const openapi = kustomization.openapi as { path?: unknown } | undefined;
  return [
    ...patchesStrategicMerge,
    ...pathsOf(kustomization.patches),
    ...pathsOf(kustomization.patchesJson6902),
    ...pathsOf(kustomization.replacements),
    ...generatorFiles(kustomization.configMapGenerator),
    ...generatorFiles(kustomization.secretGenerator),
    ...strings(kustomization.transformers), ...strings(kustomization.generators), ...strings(kustomization.validators),
    ...(typeof openapi?.path === 'string' ? [openapi.path] : []),
  ];
}

export async function walkKustomizeTree(root: string, reads = new FileReads()): Promise<KustomizeTree> {
  const tree: KustomizeTree = {
    kustomizationFiles: [], resourceFiles: [], inputFiles: [], inputDirs: [], remoteResources: [], inflatesHelmCharts: false,
  };
  const visited = new Set<string>();
  const inputs = new Set<string>();
  const fail = (message: string) => { tree.problem ??= message; };

  async function visitDirectory(dir: string, referencedFrom?: string): Promise<void> {
    if (visited.has(dir)) return;
    visited.add(dir);
    const kustomizationFile = await findKustomizationFile(dir, reads);
    if (!kustomizationFile) {
      fail(referencedFrom
        ? `${referencedFrom}: ${dir} has no kustomization.yaml`
        : `${dir}: no kustomization.yaml, kustomization.yml or Kustomization`);
      return;
    }
    tree.kustomizationFiles.push(kustomizationFile);
    tree.inputDirs.push(dir);
    for (const file of await reads.filesIn(dir)) inputs.add(file);
    let kustomization: Record<string, unknown>;
    try {
      const [document] = await readYamlDocuments(kustomizationFile, reads);
      kustomization = (document?.value ?? {}) as Record<string, unknown>;
    } catch (error) {
      fail((error as Error).message);
      return;
    }
    if (Array.isArray(kustomization.helmCharts) && kustomization.helmCharts.length > 0) tree.inflatesHelmCharts = true;
    for (const reference of referencedFiles(kustomization)) {
      if (!isRemote(reference)) inputs.add(path.resolve(dir, reference));
    }
    const entries = [
      ...strings(kustomization.resources), ...strings(kustomization.bases), ...strings(kustomization.components),
      ...strings(kustomization.crds),
    ];
    for (const entry of entries) await visitEntry(entry, dir, kustomizationFile);
  }

  async function visitEntry(entry: string, dir: string, kustomizationFile: string): Promise<void> {
    if (isRemote(entry)) {
      tree.remoteResources.push(entry);
      return;
    }
    const target = path.resolve(dir, entry);
    const stat = await reads.stat(target);
    if (!stat) {
      fail(`${kustomizationFile}: ${entry} does not exist (${target})`);
      return;
    }
    if (stat.isDirectory()) {
      await visitDirectory(target, kustomizationFile);
    } else {
      tree.resourceFiles.push(target);
      inputs.add(target);
    }
  }

  await visitDirectory(root);
  tree.inputFiles = [...inputs].sort();
  return tree;
}
