// Builds Flux Kustomizations as kustomize-controller does, to read what they apply: the folder (or the
// kustomization the controller generates for a folder without one), with the Kustomization's own fields
// (targetNamespace, patches, images, prefixes, components, commonMetadata) as a kustomization on top, and
// kustomize-controller's load restrictions (none: files outside the folder may be read). Many builds run in
// one kustomize process: each build is one entry of a temporary kustomization, tagged so its objects can be
// told apart (as buildKustomizeBatch does); `buildMetadata: [originAnnotations]` says which repo file each
// object comes from (the base file a patch modifies, not the patch). A batch that fails is built entry by
// entry, so each error names its own Kustomization.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stoppedBy } from '../abort';
import type { KubeObject } from '../model';
import type { ToolOptions } from '../render/options';
import { parseToolOutput } from '../render/parseToolOutput';
import { kustomizeCommand, kustomizeLabel, kustomizeMessage } from '../render/renderKustomize';
import { runTool } from '../render/runTool';

export interface FluxBuildSpec {
  /** `spec.path` in the repo. */
  folder: string;
  /** The generator's resources when the folder has no kustomization file (absolute paths). */
  generated?: string[];
  /** Kustomization fields the controller adds (components as absolute folders). */
  overlay?: Record<string, unknown>;
}

export interface BuiltObject {
  object: KubeObject;
  /** The repo file the object comes from. */
  origin?: string;
}

export type FluxBuildResult = { objects: BuiltObject[] } | { error: string };

const TAG = 'driftline.dev/flux-build-entry';
const ORIGIN = 'config.kubernetes.io/origin';
const asYaml = (value: unknown): string => JSON.stringify(value);

/** The kustomization kustomize-controller builds for `spec`, written into `dir`. */
export function fluxKustomization(spec: FluxBuildSpec, dir: string): Record<string, unknown> {
  const overlay = spec.overlay ?? {};
  const relative = (target: string) => path.relative(dir, target) || '.';
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: (spec.generated ?? [spec.folder]).map(relative),
    ...overlay,
    ...(Array.isArray(overlay.components) ? { components: (overlay.components as string[]).map(relative) } : {}),
  };
}

async function writeEntry(batchDir: string, index: number, spec: FluxBuildSpec): Promise<string> {
  const dir = path.join(batchDir, `k-${index}`);
  await fs.mkdir(dir);
  await fs.writeFile(path.join(dir, 'tag.yaml'), asYaml({
    apiVersion: 'builtin', kind: 'AnnotationsTransformer', metadata: { name: 'driftline-flux-tag' },
    annotations: { [TAG]: String(index) }, fieldSpecs: [{ path: 'metadata/annotations', create: true }],
  }));
  await fs.writeFile(path.join(dir, 'kustomization.yaml'), asYaml({
    ...fluxKustomization(spec, dir), transformers: ['tag.yaml'], buildMetadata: ['originAnnotations'],
  }));
  return dir;
}

async function runBuild(dir: string, options: ToolOptions): Promise<{ stdout: string } | { error: string }> {
  const [command, args] = await kustomizeCommand(options.tools, dir);
  args.push('--load-restrictor', 'LoadRestrictionsNone');
  const run = await runTool(command, args, { cwd: dir, timeoutMs: options.timeoutMs, signal: options.signal, label: kustomizeLabel(command, args) });
  if (run.code !== 0) return { error: kustomizeMessage(run.stderr) || `${path.basename(command)} exited with ${run.code}` };
  return { stdout: run.stdout };
}

/** Splits one build's output by entry tag; origins are relative to `builtDir`. */
function sortOutput(stdout: string, builtDir: string, entries: number): BuiltObject[][] | undefined {
  const byEntry: BuiltObject[][] = Array.from({ length: entries }, () => []);
  for (const { object } of parseToolOutput(stdout, path.join(builtDir, 'kustomization.yaml'))) {
    const annotations = object.metadata.annotations ?? {};
    const index = Number(annotations[TAG]);
    const origin = /^path:\s*(.+)$/m.exec(annotations[ORIGIN] ?? '')?.[1]?.trim();
    delete annotations[TAG];
    delete annotations[ORIGIN];
    if (Object.keys(annotations).length === 0) delete object.metadata.annotations;
    if (!byEntry[index]) return undefined;
    byEntry[index].push({ object, ...(origin ? { origin: path.resolve(builtDir, origin.replace(/^["']|["']$/g, '')) } : {}) });
  }
  return byEntry;
}

/** Builds every spec; one result per spec, in order. Rejects only when `options.signal` aborts. */
export async function buildFlux(specs: FluxBuildSpec[], options: ToolOptions = {}): Promise<FluxBuildResult[]> {
  if (specs.length === 0) return [];
  const batchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-flux-build-'));
  try {
    const dirs = await Promise.all(specs.map((spec, index) => writeEntry(batchDir, index, spec)));
    if (specs.length > 1) {
      await fs.writeFile(path.join(batchDir, 'kustomization.yaml'), asYaml({
        apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization',
        resources: dirs.map((dir) => path.basename(dir)), buildMetadata: ['originAnnotations'],
      }));
      const run = await runBuild(batchDir, options);
      const sorted = 'stdout' in run ? sortOutput(run.stdout, batchDir, specs.length) : undefined;
      if (sorted) return sorted.map((objects) => ({ objects }));
    }
    // One by one: each failure with its own message.
    return await Promise.all(dirs.map(async (dir): Promise<FluxBuildResult> => {
      const run = await runBuild(dir, options);
      if ('error' in run) return run;
      const sorted = sortOutput(run.stdout, dir, specs.length);
      return sorted ? { objects: sorted.flat() } : { error: 'kustomize printed objects of another build' };
    }));
  } catch (error) {
    if (stoppedBy(error, options.signal)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return specs.map(() => ({ error: message }));
  } finally {
    await fs.rm(batchDir, { recursive: true, force: true });
  }
}
