// Flux Operator FluxInstances as cluster roots. With `spec.sync` the operator generates a source (`kind`
// GitRepository, OCIRepository or Bucket, with `url` and `ref`) and a Kustomization building `path` from it,
// both in the instance's namespace and named `sync.name` (by default the namespace's name, as `flux
// bootstrap` names flux-system). When that source is this repository the Kustomization is a cluster root like
// flux-system's; otherwise the cluster is not in this repo, and the problem says so.
import path from 'node:path';
import type { DiscoveryProblem, KubeObject } from '../model';
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
    const folder = path.resolve(scan.root, syncPath.replace(/^\.\/?/, '') || '.');
    const environment = environmentOfPath(scan.root, path.join(folder, 'kustomization.yaml')) ?? environmentOfPath(scan.root, found.file) ??
      (folder === scan.root ? 'default' : path.basename(folder));
    roots.push({ kustomization: { object: kustomization, ...at }, source: { object: source, ...at }, folder, environment });
  }
  return { roots, problems };
}
