// What a Kustomization's build applies once the Flux Operator has expanded the ResourceSets among it: the
// ResourceSets give way to the objects they make (declared where the ResourceSet is), so the Kustomizations
// and HelmReleases a ResourceSet generates are children of that Kustomization like the ones it applies
// itself. A ResourceSet that cannot be expanded is an Unknown app saying why (inputs from GitHub, a
// registry...), or a problem naming its file (a template that does not render).
import path from 'node:path';
import type { AppDefinition, DesiredObject, DiscoveryProblem, KubeObject } from '../model';
import { expandResourceSet, isResourceSet, isResourceSetInput } from './resourceSet';

export interface ResourceSetChildren {
  /** `objects` without the ResourceSets, with the Kustomizations, HelmReleases and input providers they make in their place. */
  objects: DesiredObject[];
  /** The Flux sources they make (GitRepository, OCIRepository...): what their Kustomizations and HelmReleases name. */
  sources: DesiredObject[];
  /** ResourceSets whose objects are not known here, with why. */
  unknown: { resourceSet: DesiredObject; reason: string }[];
  problems: DiscoveryProblem[];
}

const namespaceOf = (object: KubeObject) => object.metadata.namespace ?? 'default';
const nameOf = (object: KubeObject) => `${namespaceOf(object)}/${object.metadata.name}`;
/** Flux kinds are namespaced: one a template leaves without a namespace goes to the ResourceSet's. */
const NAMESPACED = /^(Kustomization|HelmRelease|GitRepository|OCIRepository|HelmRepository|Bucket|ResourceSet|ResourceSetInputProvider)$/;

const MAX_EXPANSIONS = 1000;
const SOURCE_GROUP = 'source.toolkit.fluxcd.io';
/** What becomes an app: the Kustomizations and HelmReleases (their other objects the operator applies itself). */
const isFluxChild = (object: KubeObject) => (object.kind === 'Kustomization' && object.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) ||
  (object.kind === 'HelmRelease' && object.apiVersion.startsWith('helm.toolkit.fluxcd.io/'));

/** Expands the ResourceSets of `objects`; `candidates` are the other objects the cluster's builds apply (their input providers). */
export function expandResourceSets(objects: DesiredObject[], candidates: KubeObject[]): ResourceSetChildren {
  const result: ResourceSetChildren = { objects: [], sources: [], unknown: [], problems: [] };
  const visible = [...objects.map(({ object }) => object), ...candidates];
  // A ResourceSet may make ResourceSets, which the operator expands in turn: each joins the queue.
  const queue = [...objects];
  let expansions = 0;
  for (const desired of queue) {
    if (!isResourceSet(desired.object)) {
      result.objects.push(desired);
      continue;
    }
    const namespace = namespaceOf(desired.object);
    if (++expansions > MAX_EXPANSIONS) {
      result.problems.push({ file: desired.source.file, message: `ResourceSet ${nameOf(desired.object)} is not expanded: more than ${MAX_EXPANSIONS} ResourceSets make one another` });
      continue;
    }
    const expansion = expandResourceSet(desired.object, namespace, visible);
    if ('error' in expansion) {
      result.problems.push({
        file: desired.source.file, ...(desired.source.line !== undefined ? { line: desired.source.line } : {}),
        message: `ResourceSet ${nameOf(desired.object)} does not expand as the Flux Operator expands it: ${expansion.error}`,
      });
    } else if ('unknownReason' in expansion) {
      result.unknown.push({ resourceSet: desired, reason: expansion.unknownReason });
    } else {
      for (const object of expansion.objects) {
        if (object.metadata.namespace === undefined && NAMESPACED.test(object.kind)) object.metadata.namespace = namespace;
        if (isFluxChild(object) || isResourceSetInput(object)) queue.push({ object, source: desired.source });
        else if (object.apiVersion.startsWith(`${SOURCE_GROUP}/`)) result.sources.push({ object, source: desired.source });
      }
    }
  }
  return result;
}

/** The app standing for a ResourceSet whose objects are not known: Unknown, with why, under the Kustomization applying it. */
export function unexpandedResourceSetApp(resourceSet: DesiredObject, reason: string, environment: string, parent: string | undefined): AppDefinition {
  const { object, source } = resourceSet;
  return {
    name: object.metadata.name, environment, renderer: 'yaml', path: path.dirname(source.file), origin: 'flux-kustomization', declaredAt: source,
    flux: { ...(parent ? { parent } : {}), dependsOn: [], suspend: object.metadata.annotations?.['fluxcd.controlplane.io/reconcile'] === 'disabled' },
    unknownReason: `ResourceSet ${nameOf(object)} is not expanded: ${reason}`,
  };
}
