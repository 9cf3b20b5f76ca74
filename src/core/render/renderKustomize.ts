// kustomize apps: `kustomize build` when kustomize is on PATH (or configured), else `kubectl kustomize`.
// A controller's additions (Flux Kustomization patches, targetNamespace, images...) are applied the way the
// controller does: as a kustomization on top of the folder, built from a temporary directory.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { AppDefinition, DesiredObject, ToolPaths } from '../model';
import { withoutBuildDirs } from './kustomizeBuildDirs';
import type { KustomizeTree } from './kustomizeTree';
import { mapSources } from './mapSources';
import type { RenderOptions } from './options';
import { parseToolOutput } from './parseToolOutput';
import { findExecutable, runTool } from './runTool';

/** The command line that builds `dir`: [executable, ...args]. */
export async function kustomizeCommand(tools: ToolPaths | undefined, dir: string): Promise<[string, string[]]> {
  const kustomize = await findExecutable('kustomize', tools?.kustomize);
  if (kustomize) return [kustomize, ['build', dir]];
  if (tools?.kustomize) throw new Error(`kustomize not found at ${tools.kustomize}`);
  const kubectl = await findExecutable('kubectl', tools?.kubectl);
  if (kubectl) return [kubectl, ['kustomize', dir]];
  throw new Error(tools?.kubectl ? `kubectl not found at ${tools.kubectl}` : 'neither kustomize nor kubectl found on PATH');
}

/** How errors name a run of `command` (from kustomizeCommand): `kustomize`, or `kubectl kustomize`. */
export function kustomizeLabel(command: string, args: string[]): string {
  return args[0] === 'kustomize' ? `${path.basename(command)} kustomize` : 'kustomize';
}

/** `helmCharts:` in a kustomization is inflated by helm, which kustomize runs only when asked to. */
async function helmChartFlags(tools: ToolPaths | undefined): Promise<string[]> {
  const helm = await findExecutable('helm', tools?.helm);
  if (!helm) throw new Error('helm not found (the kustomization inflates helmCharts)');
  return ['--enable-helm', '--helm-command', helm];
}

async function writeOverlay(app: AppDefinition): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-overlay-'));
  const overlay = app.kustomizeOverlay ?? {};
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [path.relative(dir, app.path)],
    ...overlay,
    // Discovery gives component folders (and the resources kustomize-controller generates for a folder without
    // kustomization.yaml) as absolute paths; kustomize wants them relative to this file.
    ...(Array.isArray(overlay.components) ? { components: (overlay.components as string[]).map((component) => path.relative(dir, component)) } : {}),
    ...(Array.isArray(overlay.resources) ? { resources: (overlay.resources as string[]).map((resource) => path.relative(dir, resource)) } : {}),
  };
  await fs.writeFile(path.join(dir, 'kustomization.yaml'), stringify(kustomization));
  return dir;
}

/**
 * kubectl prints kustomize's error through klog (`E1126 15:13:03.19 9381 run.go:72] "command failed" err="..."`,
 * or, for a message of several lines, `err=<` then the lines each indented by a tab, then ` >`) after deprecation
 * warnings; the user needs kustomize's own words.
 */
export function kustomizeMessage(stderr: string): string {
  const klog = /"command failed" err="((?:[^"\\]|\\.)*)"/.exec(stderr);
  if (klog) return klog[1].replace(/\\(.)/g, '$1');
  const lines = /"command failed" err=<\n((?:\t.*(?:\n|$))*)\s*>/.exec(stderr);
  if (lines) return lines[1].split('\n').map((line) => line.replace(/^\t/, '')).join('\n').trim();
  return stderr.split('\n').filter((line) => !line.startsWith('# Warning:')).join('\n').trim();
}

export async function renderKustomize(
  app: AppDefinition, tree: KustomizeTree, options: Pick<RenderOptions, 'tools' | 'timeoutMs' | 'allowTools' | 'reads' | 'signal'>,
  /** The app's objects when a batch (buildKustomizeBatch) already built it. */
  prebuilt?: DesiredObject[],
): Promise<DesiredObject[]> {
  const { tools, timeoutMs, allowTools, reads, signal } = options;
  if (tree.remoteResources.length > 0) {
    throw new Error(`remote resource ${tree.remoteResources[0]} needs network`);
  }
  if (prebuilt) return mapSources(prebuilt, tree, reads);
  const overlayDir = app.kustomizeOverlay && Object.keys(app.kustomizeOverlay).length > 0 ? await writeOverlay(app) : undefined;
  try {
    const [command, args] = await kustomizeCommand(tools, overlayDir ?? app.path);
    // kustomize-controller builds without load restrictions (files outside the folder may be read).
    if (app.origin === 'flux-kustomization') args.push('--load-restrictor', 'LoadRestrictionsNone');
    if (tree.inflatesHelmCharts) args.push(...await helmChartFlags(tools));
    const run = await runTool(command, args, { cwd: app.path, timeoutMs, allowTools, signal, label: kustomizeLabel(command, args) });
    if (run.code !== 0) {
      const message = kustomizeMessage(run.stderr) || `${path.basename(command)} exited with ${run.code}`;
      // The overlay's temporary folder stands for the app's: errors name that.
      const resources = Array.isArray(app.kustomizeOverlay?.resources) ? app.kustomizeOverlay.resources as string[] : [];
      throw new Error(overlayDir ? withoutBuildDirs(message, { folders: [app.path, ...resources], nameOf: () => app.path }) : message);
    }
    return mapSources(parseToolOutput(run.stdout, tree.kustomizationFiles[0] ?? app.path), tree, reads);
  } finally {
    if (overlayDir) await fs.rm(overlayDir, { recursive: true, force: true });
  }
}
