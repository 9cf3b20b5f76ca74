// What an app renders from: the files whose content decides its objects (hashed for the render cache) and
// the folders where a new file would change them (for "which apps does this change affect").
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { AppDefinition, DesiredObject } from '../model';
import { sourceAppsOf } from './appSources';
import { directoryFiles, isJsonnetFile } from './argoDirectory';
import { FileReads } from './fileReads';
import { jsonnetReads } from './jsonnetImports';
import { walkKustomizeTree, type KustomizeTree } from './kustomizeTree';
import { isWithin, listFiles } from './listFiles';
import { isManifestFile } from './renderYaml';

export interface AppInputs {
  files: string[];
  /** A file created directly in one of these folders affects the app. */
  dirs: string[];
  /** A file created anywhere under one of these folders affects the app. */
  trees: string[];
  kustomizeTree?: KustomizeTree;
  /** Set by renderApps while a batched kustomize build (buildKustomizeBatch) holds this app's output. */
  kustomizeOutput?: DesiredObject[];
  /** An Argo CD directory source: the files it renders, in order (`files` also holds what its jsonnet imports). */
  directoryFiles?: string[];
  /** A multi-source app: each source's inputs, in the order of AppDefinition.sources (the fields above are their union). */
  sourceInputs?: AppInputs[];
}

export async function collectInputs(app: AppDefinition, reads = new FileReads()): Promise<AppInputs> {
  if (app.unknownReason) return { files: [], dirs: [], trees: [] };
  if (app.sources) {
    const sourceInputs = await Promise.all(sourceAppsOf(app).map((source) => collectInputs(source, reads)));
    const union = (pick: (inputs: AppInputs) => string[]) => [...new Set(sourceInputs.flatMap(pick))];
    return { files: union((inputs) => inputs.files), dirs: union((inputs) => inputs.dirs), trees: union((inputs) => inputs.trees), sourceInputs };
  }
  if (app.directory) return directoryInputs(app, reads);
  switch (app.renderer) {
    case 'kustomize': {
      const generated = Array.isArray(app.kustomizeOverlay?.resources) ? app.kustomizeOverlay.resources as string[] : undefined;
      const tree = generated ? await generatedTree(app.path, generated, reads) : await walkKustomizeTree(app.path, reads);
      // Components a controller adds (Flux/Argo `components`) are read by the build too.
      const components = Array.isArray(app.kustomizeOverlay?.components) ? app.kustomizeOverlay.components as string[] : [];
      const componentTrees = await Promise.all(components.map((component) => walkKustomizeTree(component, reads)));
      return {
        files: [...tree.inputFiles, ...componentTrees.flatMap((component) => component.inputFiles)],
        dirs: [...tree.inputDirs, ...componentTrees.flatMap((component) => component.inputDirs)],
        trees: generated ? [app.path] : [], kustomizeTree: tree,
      };
    }
    case 'helm': {
      const chartPath = app.helm?.chartPath;
      const chartFiles = chartPath ? await listFiles(chartPath, true) : [];
      return { files: [...chartFiles, ...(app.helm?.valuesFiles ?? [])], dirs: [], trees: chartPath ? [chartPath] : [] };
    }
    case 'yaml':
    case 'jsonnet': {
      const files = (await listFiles(app.path, app.recurse === true)).filter(isManifestFile);
      return { files, dirs: app.recurse ? [] : [app.path], trees: app.recurse ? [app.path] : [] };
    }
    case 'resourceset':
      // Its objects are in the definition (hashed with it); the file declaring the ResourceSet is what an edit changes.
      return { files: [app.declaredAt.file], dirs: [], trees: [] };
  }
}

/** An Argo CD directory source: its files, and every file its `.jsonnet` files import (in the folder or its libs). */
async function directoryInputs(app: AppDefinition, reads: FileReads): Promise<AppInputs> {
  const files = await directoryFiles(app);
  const jsonnet = await jsonnetReads(files.filter(isJsonnetFile), [app.path, ...app.directory?.jsonnet?.libs ?? []], reads);
  return {
    files: [...new Set([...files, ...jsonnet.files])], directoryFiles: files,
    dirs: [...new Set([...(app.recurse ? [] : [app.path]), ...jsonnet.dirs])], trees: app.recurse ? [app.path] : [],
  };
}

/**
 * The tree of a folder without kustomization.yaml that kustomize-controller builds from the resources its
 * generator lists (discovery gives them): those files, and the trees of the folders among them. A file
 * created anywhere below the folder can change the list.
 */
export async function generatedTree(folder: string, resources: string[], reads: FileReads): Promise<KustomizeTree> {
  const tree: KustomizeTree = {
    kustomizationFiles: [], resourceFiles: [], inputFiles: [], inputDirs: [folder], remoteResources: [], inflatesHelmCharts: false,
  };
  const inputs = new Set<string>();
  for (const resource of resources) {
    if ((await reads.stat(resource))?.isDirectory()) {
      const nested = await walkKustomizeTree(resource, reads);
      tree.kustomizationFiles.push(...nested.kustomizationFiles);
      tree.resourceFiles.push(...nested.resourceFiles);
      tree.inputDirs.push(...nested.inputDirs);
      tree.remoteResources.push(...nested.remoteResources);
      tree.inflatesHelmCharts ||= nested.inflatesHelmCharts;
      tree.problem ??= nested.problem;
      for (const file of nested.inputFiles) inputs.add(file);
    } else {
      tree.resourceFiles.push(resource);
      inputs.add(resource);
    }
  }
  tree.inputFiles = [...inputs].sort();
  return tree;
}

export function isAffectedBy(inputs: AppInputs, changedPath: string): boolean {
  const file = path.resolve(changedPath);
  return inputs.files.includes(file) ||
    inputs.dirs.some((dir) => path.dirname(file) === dir || file === dir) ||
    inputs.trees.some((tree) => isWithin(file, tree));
}

/**
 * Hash of everything that decides an app's objects: its definition (renderer, namespace, values, overlay)
 * and the path and content of each input file. Equal hashes render equal objects.
 */
export async function hashInputs(app: AppDefinition, inputs: AppInputs, reads = new FileReads()): Promise<string> {
  const hash = createHash('sha256');
  const { declaredAt: _declaredAt, ...definition } = app;
  hash.update(JSON.stringify(definition));
  // Read in parallel, hashed in order.
  const contents = await Promise.all(inputs.files.map((file) => reads.read(file).catch(() => undefined)));
  inputs.files.forEach((file, index) => {
    hash.update(`\0${file}\0`);
    hash.update(contents[index] ?? '\0missing\0');
  });
  return hash.digest('hex');
}
