// Whether a file change can change what discovery finds, so an engine may keep its repo model instead of
// scanning every YAML file again. Conservative: anything it cannot rule out re-discovers.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AppDefinition, RepoModel } from '../model';
import { KUSTOMIZATION_FILE_NAMES } from '../render/kustomizeTree';
import { isWithin } from '../render/listFiles';
import { CONFIG_FILE_NAME } from './loadConfig';
import { CONTROLLER_GROUPS } from './scanRepo';

/** One changed path as it is now. */
export interface ChangedFile {
  /** Absolute path. */
  path: string;
  /** A regular file is there now (false: deleted, or a folder). */
  isFile: boolean;
  /** Its text names a Flux or Argo CD API group now. */
  namesControllers: boolean;
  /** Its text now (absent: deleted, a folder, or not read). */
  text?: string;
}

/** What the previous discovery and renders knew. */
export interface KnownRepo {
  root: string;
  /** RepoModel.controllerFiles; undefined when the model does not say. */
  controllerFiles: string[] | undefined;
  /** Every file the latest renders read: a changed file among them existed, so it was edited, not created. */
  renderInputs: ReadonlySet<string>;
  /** Chart folders of Helm apps. */
  chartDirs: string[];
  /**
   * Files of the ConfigMaps and Secrets whose contents discovery put into apps (postBuild.substituteFrom,
   * HelmRelease valuesFrom, found in a build's output), each with what reads it.
   */
  sourceFiles?: ReadonlyMap<string, string>;
  /**
   * The ConfigMaps and Secrets discovery looked for in the builds and did not find (read live instead, or
   * missing), each with what reads it: a file that now defines one changes what the app gets.
   */
  awaitedSources?: readonly AwaitedSource[];
}

export interface AwaitedSource {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /** What reads it, e.g. "postBuild.substituteFrom of dev/web (ConfigMap flux-system/vars)". */
  reader: string;
}

/** Why this change may change discovery, or undefined when it cannot. */
export function whyRediscover(change: ChangedFile, known: KnownRepo): string | undefined {
  const file = path.resolve(change.path);
  if (file.split(path.sep).includes('.git')) return 'git metadata (remotes name the repo)';
  if (file === path.join(known.root, CONFIG_FILE_NAME)) return `${CONFIG_FILE_NAME} changed`;
  if (!change.isFile) return 'deleted, or a folder';
  // Argo CD merges these into an Application's source before rendering it (argoSourceOverrides.ts).
  if (/^\.argocd-source(-.+)?\.yaml$/.test(path.basename(file))) return 'an Argo CD parameter override file';
  const reader = known.sourceFiles?.get(file);
  if (reader) return `holds a source of ${reader}`;
  const awaited = known.awaitedSources?.find((source) => change.text !== undefined && mayDefine(change.text, source));
  if (awaited) return `may now define ${awaited.kind} ${awaited.name}, a source of ${awaited.reader}`;
  if (!known.renderInputs.has(file)) return 'not a file the apps were rendered from (created, or outside every app)';
  if (!known.controllerFiles) return 'the model does not say which files hold Flux or Argo CD objects';
  if (known.controllerFiles.some((held) => isWithin(file, held))) return 'held Flux or Argo CD objects';
  if (change.namesControllers) return 'now names a Flux or Argo CD API group';
  if (known.controllerFiles.length > 0) {
    // Flux discovery walks kustomize trees to tell which Kustomization deploys which HelmRelease, and reads charts.
    if (KUSTOMIZATION_FILE_NAMES.includes(path.basename(file))) return 'a kustomization file in a repo with Flux or Argo CD objects';
    if (known.chartDirs.some((dir) => isWithin(file, dir))) return 'a chart file in a repo with Flux or Argo CD objects';
  }
  return undefined;
}

/**
 * Whether `text` may hold the object: its kind and its name each appear as a word (a superset of what parsing
 * would find, in block or flow style alike).
 */
function mayDefine(text: string, source: AwaitedSource): boolean {
  const name = source.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\b${source.kind}\\b`).test(text) && new RegExp(`(^|[^\\w.-])${name}($|[^\\w.-])`, 'm').test(text);
}

/** The facts `whyRediscover` needs about a path, read from disk now. */
export async function readChangedFile(file: string): Promise<ChangedFile> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return { path: file, isFile: false, namesControllers: false };
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  // Unreadable: assume the worst.
  return { path: file, isFile: true, namesControllers: text === undefined || CONTROLLER_GROUPS.test(text), text };
}

/**
 * The first reason any of these paths may change discovery of `model`, or undefined when none can. `read` says
 * what is at a path now (the disk; a branch preview reads another revision through it).
 */
export async function whyRediscoverAny(
  paths: string[], model: RepoModel, renderInputs: ReadonlySet<string>, read: (file: string) => Promise<ChangedFile> = readChangedFile,
): Promise<string | undefined> {
  const apps = model.environments.flatMap((environment) => environment.apps);
  const known: KnownRepo = {
    root: model.root, controllerFiles: model.controllerFiles, renderInputs,
    chartDirs: apps.flatMap((app) => app.helm?.chartPath ?? []), ...sourcesOf(apps),
  };
  for (const file of paths) {
    const reason = whyRediscover(await read(file), known);
    if (reason) return `${file}: ${reason}`;
  }
  return undefined;
}

/**
 * The substituteFrom and valuesFrom sources of `apps`: where those found in a build are, and those not found,
 * each with what reads it (the first app naming it).
 */
function sourcesOf(apps: AppDefinition[]): { sourceFiles: Map<string, string>; awaitedSources: AwaitedSource[] } {
  const sourceFiles = new Map<string, string>();
  const awaited = new Map<string, AwaitedSource>();
  for (const app of apps) {
    const read = [
      ...(app.substitute?.from ?? []).map((source) => ({ source, by: 'postBuild.substituteFrom' })),
      ...(app.helm?.release?.valuesFrom ?? []).map((source) => ({ source, by: 'valuesFrom' })),
    ];
    for (const { source, by } of read) {
      const reader = `${by} of ${app.environment}/${app.name} (${source.kind} ${source.namespace}/${source.name})`;
      if (!source.built) {
        const key = `${source.kind}/${source.name}`;
        if (!awaited.has(key)) awaited.set(key, { kind: source.kind, name: source.name, reader });
      } else if (!sourceFiles.has(source.built.file)) {
        sourceFiles.set(source.built.file, reader);
      }
    }
  }
  return { sourceFiles, awaitedSources: [...awaited.values()] };
}
