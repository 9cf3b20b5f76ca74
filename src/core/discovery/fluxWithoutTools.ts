// Flux where no tool may run (an untrusted workspace): kustomize-controller's builds cannot be emulated, so
// the tree below each cluster is not known. What the repo's files say plainly is still shown: each
// Kustomization and HelmRelease written in a cluster folder (`clusters/<c>/...`) is an app of that cluster,
// Unknown because it needs kustomize (or helm); a root (Flux's own sync) only marks its cluster. Those outside
// cluster folders belong to whichever cluster builds them, which only a build tells: each is a problem naming
// it, never silently dropped.
import path from 'node:path';
import type { AppDefinition, DiscoveryProblem } from '../model';
import { isWithin } from '../render/listFiles';
import { ToolNotAllowedError } from '../render/runTool';
import type { FluxDiscovery } from './discoverFlux';
import { environmentOfPath } from './environmentOfPath';
import { fluxInstanceRoots } from './fluxInstance';
import { resolveKustomizationSource } from './fluxSources';
import type { RepoIdentity } from './repoIdentity';
import { OPERATOR_GROUP } from './resourceSetInputs';
import { objectsOf, type RepoScan } from './scanRepo';

export function discoverFluxWithoutTools(scan: RepoScan, identity: RepoIdentity): FluxDiscovery {
  const apps: AppDefinition[] = [];
  const environments = new Set<string>();
  const problems: DiscoveryProblem[] = [];
  const taken = new Set<string>();
  const found = [
    ...objectsOf(scan, 'kustomize.toolkit.fluxcd.io', 'Kustomization').map((object) => ({ ...object, kind: 'Kustomization' as const })),
    ...objectsOf(scan, 'helm.toolkit.fluxcd.io', 'HelmRelease').map((object) => ({ ...object, kind: 'HelmRelease' as const })),
  ];
  for (const { object, file, line, kind } of found) {
    const namespace = object.metadata.namespace ?? (kind === 'Kustomization' ? 'flux-system' : 'default');
    const what = `${kind} ${namespace}/${object.metadata.name}`;
    const tool = kind === 'Kustomization' ? 'kustomize' : 'helm';
    const environment = environmentOfPath(scan.root, file);
    if (!environment) {
      problems.push({ file, ...(line !== undefined ? { line } : {}), message: `${what} is not listed: only a kustomize build tells which cluster applies it, and kustomize does not run in an untrusted workspace` });
      continue;
    }
    environments.add(environment);
    const source = kind === 'Kustomization' ? resolveKustomizationSource(scan, identity, { object, file, line }) : undefined;
    const folder = source && 'folder' in source ? source.folder : path.dirname(file);
    if (kind === 'Kustomization' && isWithin(file, folder)) continue; // the cluster's root: Flux's own sync
    const name = [object.metadata.name, `${namespace}/${object.metadata.name}`].find((candidate) => !taken.has(`${environment}/${candidate}`));
    if (!name) continue;
    taken.add(`${environment}/${name}`);
    apps.push({
      name, environment, renderer: tool === 'kustomize' ? 'kustomize' : 'helm', path: folder,
      origin: kind === 'Kustomization' ? 'flux-kustomization' : 'flux-helmrelease', declaredAt: { file, ...(line !== undefined ? { line } : {}) },
      controller: { apiVersion: object.apiVersion, kind, name: object.metadata.name, namespace },
      unknownReason: `${new ToolNotAllowedError(tool).message}: Flux ${kind === 'Kustomization' ? 'builds' : 'renders'} ${what} with it`,
    });
  }
  // A FluxInstance's sync marks its cluster; what a ResourceSet makes, and where, only a build tells.
  const instances = fluxInstanceRoots(scan, identity);
  problems.push(...instances.problems);
  for (const { environment } of instances.roots) environments.add(environment);
  for (const { object, file, line } of objectsOf(scan, OPERATOR_GROUP, 'ResourceSet')) {
    problems.push({ file, ...(line !== undefined ? { line } : {}), message: `ResourceSet ${object.metadata.namespace ?? 'default'}/${object.metadata.name} is not expanded: only a kustomize build tells which cluster applies it, and kustomize does not run in an untrusted workspace` });
  }
  return { apps, environments: [...environments], contexts: {}, problems };
}
