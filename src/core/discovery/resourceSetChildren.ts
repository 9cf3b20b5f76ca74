// What a Kustomization's build applies once the Flux Operator has expanded the ResourceSets among it. Each
// ResourceSet is an app of its own (controller kind ResourceSet): its desired objects are what the operator
// applies for it (Namespaces, ConfigMaps, the Kustomizations and HelmReleases...; declared where the
// ResourceSet is), found live by the operator's labels and inventory. The Kustomizations and HelmReleases it
// generates are apps too, children of the ResourceSet in the tree. A ResourceSet that cannot be expanded is an
// Unknown app saying why (inputs from GitHub, a registry...), or a problem naming its file (a template that
// does not render).
import path from 'node:path';
import type { AppDefinition, DesiredObject, DiscoveryProblem, FluxAppInfo, KubeObject } from '../model';
import { expandResourceSet, isResourceSet, isResourceSetInput } from './resourceSet';

/** An object of the build, or one a ResourceSet generates (`resourceSet`: its `<namespace>/<name>`). */
export type ExpandedObject = DesiredObject & { resourceSet?: string };

/** A ResourceSet of the build with what it generates; `resourceSet` is set when another ResourceSet generated it. */
export interface ExpandedResourceSet {
  desired: ExpandedObject;
  objects: DesiredObject[];
}

export interface ResourceSetChildren {
  /** `objects` without the ResourceSets, with the Kustomizations, HelmReleases and input providers they make in their place. */
  objects: ExpandedObject[];
  /** The ResourceSets expanded, each with the objects the operator applies for it. */
  expanded: ExpandedResourceSet[];
  /** The Flux sources they make (GitRepository, OCIRepository...): what their Kustomizations and HelmReleases name. */
  sources: DesiredObject[];
  /** ResourceSets whose objects are not known here, with why. */
  unknown: { resourceSet: ExpandedObject; reason: string }[];
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

/**
 * Expands the ResourceSets of `objects`; `candidates` gives the other objects the cluster's builds apply (their
 * input providers), asked for only when there is a ResourceSet (most builds have none, and a tree's builds many objects).
 */
export function expandResourceSets(objects: DesiredObject[], candidates: () => KubeObject[]): ResourceSetChildren {
  const result: ResourceSetChildren = { objects: [], expanded: [], sources: [], unknown: [], problems: [] };
  let visible: KubeObject[] | undefined;
  // A ResourceSet may make ResourceSets, which the operator expands in turn: each joins the queue.
  const queue: ExpandedObject[] = [...objects];
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
    const expansion = expandResourceSet(desired.object, namespace, visible ??= [...objects.map(({ object }) => object), ...candidates()]);
    if ('error' in expansion) {
      result.problems.push({
        file: desired.source.file, ...(desired.source.line !== undefined ? { line: desired.source.line } : {}),
        message: `ResourceSet ${nameOf(desired.object)} does not expand as the Flux Operator expands it: ${expansion.error}`,
      });
    } else if ('unknownReason' in expansion) {
      result.unknown.push({ resourceSet: desired, reason: expansion.unknownReason });
    } else {
      const resourceSet = nameOf(desired.object);
      for (const object of expansion.objects) {
        if (object.metadata.namespace === undefined && NAMESPACED.test(object.kind)) object.metadata.namespace = namespace;
        if (isFluxChild(object) || isResourceSetInput(object)) queue.push({ object, source: desired.source, resourceSet });
        else if (object.apiVersion.startsWith(`${SOURCE_GROUP}/`)) result.sources.push({ object, source: desired.source });
      }
      result.expanded.push({ desired, objects: expansion.objects.map((object) => ({ object, source: desired.source })) });
    }
  }
  return result;
}

/** Where an app sits: under the ResourceSet that generated it, else under the Kustomization applying it (none for a cluster root's). */
export function parentOf(desired: ExpandedObject, kustomization: string | undefined): Pick<FluxAppInfo, 'parent' | 'parentKind'> {
  if (desired.resourceSet) return { parent: desired.resourceSet, parentKind: 'ResourceSet' };
  return kustomization ? { parent: kustomization } : {};
}

/**
 * The app of a ResourceSet: what the operator applies for it (`objects`, absent when they are not known, with
 * `unknownReason` saying why), under the Kustomization (or ResourceSet) applying it.
 */
export function resourceSetApp(resourceSet: ExpandedObject, environment: string, parent: string | undefined, known: { objects: DesiredObject[] } | { unknownReason: string }, unknownReason?: string): AppDefinition {
  const { object, source } = resourceSet;
  const namespace = namespaceOf(object);
  const spec = (object.spec ?? {}) as { dependsOn?: unknown; serviceAccountName?: unknown };
  const dependsOn = Array.isArray(spec.dependsOn)
    ? spec.dependsOn.flatMap((entry: { name?: unknown; namespace?: unknown }) =>
      (entry && typeof entry.name === 'string' ? [`${typeof entry.namespace === 'string' && entry.namespace !== '' ? entry.namespace : namespace}/${entry.name}`] : []))
    : [];
  const flux: FluxAppInfo = {
    ...parentOf(resourceSet, parent), dependsOn,
    // The operator's pause: `fluxcd.controlplane.io/reconcile: disabled` (a ResourceSet has no spec.suspend).
    suspend: object.metadata.annotations?.['fluxcd.controlplane.io/reconcile'] === 'disabled',
    ...(typeof spec.serviceAccountName === 'string' ? { serviceAccountName: spec.serviceAccountName } : {}),
  };
  return {
    name: object.metadata.name, environment, renderer: 'resourceset', path: path.dirname(source.file), namespace,
    origin: 'flux-resourceset', declaredAt: source, flux,
    controller: { apiVersion: object.apiVersion, kind: 'ResourceSet', name: object.metadata.name, namespace },
    ...('objects' in known ? { generatedObjects: known.objects } : { unknownReason: `ResourceSet ${nameOf(object)} is not expanded: ${known.unknownReason}` }),
    // Which cluster it is applied to, or a variable of its parent's postBuild only the cluster knows, comes first.
    ...(unknownReason ?? resourceSet.unknownReason ? { unknownReason: unknownReason ?? resourceSet.unknownReason } : {}),
  };
}
