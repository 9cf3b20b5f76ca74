// Flux Operator FluxInstances as cluster roots. With `spec.sync` the operator generates a source (`kind`
// GitRepository, OCIRepository or Bucket, with `url` and `ref`) and a Kustomization building `path` from it,
// both in the instance's namespace and named `sync.name` (by default the namespace's name, as `flux
// bootstrap` names flux-system). When that source is this repository the Kustomization is a cluster root like
// flux-system's; otherwise the cluster is not in this repo, and the problem says so. The operator builds
// these objects with kustomize and the instance's `spec.kustomize.patches`, so a patch aimed at them (adding
// postBuild, decryption, patches to the Kustomization) changes how the cluster's root builds: such patches
// are applied here too, with the same kustomize build as Flux Kustomizations.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DiscoveryProblem, KubeObject } from '../model';
import type { ToolOptions } from '../render/options';
import { buildFlux } from './fluxBuild';
import { environmentOfPath } from './environmentOfPath';
import type { RepoIdentity } from './repoIdentity';
import { objectsOf, type RepoScan, type ScannedObject } from './scanRepo';
import { OPERATOR_GROUP } from './resourceSetInputs';

interface SyncSpec {
  kind?: string;
  url?: string;
  ref?: string;
  path?: string;
  name?: string;
}

export interface FluxInstanceRoot {
  /** The FluxInstance. */
  instance: ScannedObject;
  /** The Kustomization the operator generates, as if written in the FluxInstance's file. */
  kustomization: ScannedObject;
  /** The source it generates (this repo's GitRepository). */
  source: ScannedObject;
  /** `sync.path` in this repo. */
  folder: string;
  /** The cluster's environment: after `clusters/` (or `environments/`, `envs/`) in sync.path or the instance's file, else sync.path's last folder. */
  environment: string;
}

const where = (found: ScannedObject) => `FluxInstance ${found.object.metadata.namespace ?? 'flux-system'}/${found.object.metadata.name}`;

/** The roots the repo's FluxInstances make; a FluxInstance whose sync is not this repo is a problem. */
export function fluxInstanceRoots(scan: RepoScan, identity: RepoIdentity): { roots: FluxInstanceRoot[]; problems: DiscoveryProblem[] } {
  const roots: FluxInstanceRoot[] = [];
  const problems: DiscoveryProblem[] = [];
  for (const found of objectsOf(scan, OPERATOR_GROUP, 'FluxInstance')) {
    const sync = (found.object.spec as { sync?: SyncSpec } | undefined)?.sync;
    if (!sync) continue; // it installs Flux only: what syncs the cluster is elsewhere (a bootstrap's flux-system)
    const at = { file: found.file, ...(found.line !== undefined ? { line: found.line } : {}) };
    const namespace = found.object.metadata.namespace ?? 'flux-system';
    if (sync.kind !== 'GitRepository' || !identity.isThisRepo(sync.url)) {
      problems.push({
        ...at,
        message: `${where(found)} syncs ${sync.kind ?? 'a source'} ${sync.url ?? '(no url)'}, which is not this repository: its cluster is not listed` +
          (sync.kind === 'GitRepository' ? ' (add the URL to repoURLs in .driftline.yaml if it is this one)' : ''),
      });
      continue;
    }
    const name = typeof sync.name === 'string' && sync.name !== '' ? sync.name : namespace;
    const syncPath = typeof sync.path === 'string' ? sync.path : './';
    const metadata = { name, namespace };
    const source: KubeObject = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata, spec: { url: sync.url, ref: { name: sync.ref } } };
    const kustomization: KubeObject = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata,
      spec: { path: syncPath, prune: true, sourceRef: { kind: 'GitRepository', name } },
    };
    roots.push(instanceRoot(scan, found, kustomization, source));
  }
  return { roots, problems };
}

/** The root `kustomization` (and its `source`) of the FluxInstance `instance` make: the folder it builds and its environment. */
export function instanceRoot(scan: RepoScan, instance: ScannedObject, kustomization: KubeObject, source: KubeObject): FluxInstanceRoot {
  const at = { file: instance.file, ...(instance.line !== undefined ? { line: instance.line } : {}) };
  const syncPath = String((kustomization.spec as { path?: unknown } | undefined)?.path ?? './');
  const folder = path.resolve(scan.root, syncPath.replace(/^\.\/?/, '') || '.');
  const environment = environmentOfPath(scan.root, path.join(folder, 'kustomization.yaml')) ?? environmentOfPath(scan.root, instance.file) ??
    (folder === scan.root ? 'default' : path.basename(folder));
  return { instance, kustomization: { object: kustomization, ...at }, source: { object: source, ...at }, folder, environment };
}

/** A patch the operator's build could apply to the sync objects: one with a target (one selecting nothing is a no-op), or one naming their kinds. */
function reachesSync(patch: unknown): boolean {
  const { target, patch: text } = (patch ?? {}) as { target?: unknown; patch?: unknown };
  if (target && typeof target === 'object') return true;
  return typeof text === 'string' && /^kind:\s*["']?(Kustomization|GitRepository)["']?\s*$/m.test(text);
}

async function patchSync(scan: RepoScan, root: FluxInstanceRoot, options: ToolOptions): Promise<{ root: FluxInstanceRoot; problem?: DiscoveryProblem }> {
  const patches = ((root.instance.object.spec as { kustomize?: { patches?: unknown } } | undefined)?.kustomize?.patches);
  const reaching = Array.isArray(patches) ? patches.filter(reachesSync) : [];
  if (reaching.length === 0) return { root };
  const at = { file: root.instance.file, ...(root.instance.line !== undefined ? { line: root.instance.line } : {}) };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-flux-instance-'));
  try {
    await fs.writeFile(path.join(dir, 'sync.yaml'), [root.source.object, root.kustomization.object].map((object) => JSON.stringify(object)).join('\n---\n'));
    await fs.writeFile(path.join(dir, 'kustomization.yaml'), JSON.stringify({ resources: ['sync.yaml'] }));
    const [result] = await buildFlux([{ folder: dir, overlay: { patches: reaching } }], options);
    const what = `${where(root.instance)}: spec.kustomize.patches`;
    if ('error' in result) return { root, problem: { ...at, message: `${what} do not apply to its sync Kustomization and GitRepository as the operator applies them: ${result.error}` } };
    const kustomization = result.objects.find(({ object }) => object.kind === 'Kustomization')?.object;
    const source = result.objects.find(({ object }) => object.kind === 'GitRepository')?.object;
    if (!kustomization || !source) return { root, problem: { ...at, message: `${what} remove its sync Kustomization or GitRepository` } };
    return { root: instanceRoot(scan, root.instance, kustomization, source) };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** fluxInstanceRoots, with each instance's `spec.kustomize.patches` applied to its sync objects (kustomize runs). */
export async function patchedFluxInstanceRoots(scan: RepoScan, identity: RepoIdentity, options: ToolOptions): Promise<{ roots: FluxInstanceRoot[]; problems: DiscoveryProblem[] }> {
  const { roots, problems } = fluxInstanceRoots(scan, identity);
  const patched = await Promise.all(roots.map((root) => patchSync(scan, root, options)));
  return { roots: patched.map(({ root }) => root), problems: [...problems, ...patched.flatMap(({ problem }) => (problem ? [problem] : []))] };
}
