// Many kustomize builds in one process. A kustomize (or kubectl kustomize) process spends ~100 ms of CPU
// starting and loading its schemas before it reads a file, and a few ms per app after that: 90 apps built one
// by one cost ~15 s of CPU, built together ~2.5 s (bench/README.md). The batch is a temporary kustomization
// whose resources are one small wrapper per app; each wrapper tags its app's objects with an annotation (an
// AnnotationsTransformer limited to metadata.annotations, so pod templates and selectors stay untouched),
// and the tag is removed from the output again. Each app is still built by its own kustomization with its own
// load restrictions, as when it is built alone.
// Any failure (one app's error fails the whole build; two apps with the same object collide) returns why: the
// caller then builds those apps one by one, so every error names its own app, and says once why it did. An
// abort is not a failure: it rejects, and no app is built again.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stoppedBy } from '../abort';
import { messageOf } from '../errors';
import { describeRef, refOf } from '../identity';
import type { DesiredObject } from '../model';
import { withoutBuildDirs } from './kustomizeBuildDirs';
import type { ToolOptions } from './options';
import { parseToolOutput } from './parseToolOutput';
import { kustomizeCommand, kustomizeLabel, kustomizeMessage } from './renderKustomize';
import { runTool } from './runTool';

const BATCH_ANNOTATION = 'driftline.dev/render-batch-entry';

/** JSON is YAML, and JSON.stringify is many times faster than a YAML writer (a batch writes two files per app). */
const asYaml = (value: unknown): string => JSON.stringify(value);

async function writeWrapper(batchDir: string, index: number, buildRoot: string): Promise<string> {
  const name = `app-${index}`;
  const dir = path.join(batchDir, name);
  await fs.mkdir(dir);
  await fs.writeFile(path.join(dir, 'tag.yaml'), asYaml({
    apiVersion: 'builtin',
    kind: 'AnnotationsTransformer',
    metadata: { name: 'driftline-batch-tag' },
    annotations: { [BATCH_ANNOTATION]: String(index) },
    fieldSpecs: [{ path: 'metadata/annotations', create: true }],
  }));
  await fs.writeFile(path.join(dir, 'kustomization.yaml'), asYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [path.relative(dir, buildRoot)],
    transformers: ['tag.yaml'],
  }));
  return name;
}

/** Takes the batch tag off an object; returns the index of the app it came from. */
function untag(desired: DesiredObject): number | undefined {
  const annotations = desired.object.metadata.annotations;
  const tag = annotations?.[BATCH_ANNOTATION];
  if (!annotations || tag === undefined) return undefined;
  delete annotations[BATCH_ANNOTATION];
  if (Object.keys(annotations).length === 0) delete desired.object.metadata.annotations;
  return Number(tag);
}

/** The objects of each folder, in the order given; or why the batch failed (then build them one by one). */
export type BatchOutcome = { objects: DesiredObject[][] } | { failure: string };

/** Builds every folder of `buildRoots` in one kustomize run. */
export async function buildKustomizeBatch(buildRoots: string[], options: ToolOptions = {}): Promise<BatchOutcome> {
  const { tools, timeoutMs, allowTools, signal } = options;
  const batchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-kustomize-batch-'));
  try {
    const wrappers = await Promise.all(buildRoots.map((root, index) => writeWrapper(batchDir, index, root)));
    const batchFile = path.join(batchDir, 'kustomization.yaml');
    await fs.writeFile(batchFile, asYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: wrappers }));
    const [command, args] = await kustomizeCommand(tools, batchDir);
    const run = await runTool(command, args, { cwd: batchDir, timeoutMs, allowTools, signal, label: kustomizeLabel(command, args) });
    if (run.code !== 0) {
      const failure = kustomizeMessage(run.stderr) || `${path.basename(command)} exited with ${run.code}`;
      // Entry app-<i> of the batch's folder stands for the folder of app i.
      return { failure: withoutBuildDirs(failure, { folders: buildRoots, nameOf: (entry) => buildRoots[Number(/^app-(\d+)$/.exec(entry ?? '')?.[1])] ?? 'the batch' }) };
    }
    const byEntry: DesiredObject[][] = buildRoots.map(() => []);
    for (const desired of parseToolOutput(run.stdout, batchFile)) {
      const index = untag(desired);
      if (index === undefined || !byEntry[index]) return { failure: `${describeRef(refOf(desired.object))} in the output carries no batch tag` };
      byEntry[index].push(desired);
    }
    return { objects: byEntry };
  } catch (error) {
    if (stoppedBy(error, signal)) throw error;
    return { failure: messageOf(error) };
  } finally {
    await fs.rm(batchDir, { recursive: true, force: true });
  }
}
