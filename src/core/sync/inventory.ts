// What a GitOps controller says it applied for an app: Flux Kustomization (and Flux Operator ResourceSet,
// in the same format) `status.inventory`, Argo CD
// Application `status.resources`. An object listed there belongs to the app even without tracking labels.
import { apiVersionOf, refId } from '../identity';
import type { KubeObject, ObjectRef } from '../model';

/** Flux inventory ids are `<namespace>_<name>_<group>_<kind>` with the version beside them. */
export function fluxInventory(kustomization: KubeObject): ObjectRef[] {
  const status = kustomization.status as { inventory?: { entries?: { id?: string; v?: string }[] } } | undefined;
  const refs: ObjectRef[] = [];
  for (const entry of status?.inventory?.entries ?? []) {
    const parts = (entry.id ?? '').split('_');
    if (parts.length !== 4 || !entry.v) continue;
    const [namespace, name, group, kind] = parts as [string, string, string, string];
    const ref: ObjectRef = { apiVersion: apiVersionOf(group, entry.v), kind, name };
    if (namespace) ref.namespace = namespace;
    refs.push(ref);
  }
  return refs;
}

export function argoResources(application: KubeObject): ObjectRef[] {
  const status = application.status as
    | { resources?: { group?: string; version?: string; kind?: string; namespace?: string; name?: string }[] }
    | undefined;
  const refs: ObjectRef[] = [];
  for (const resource of status?.resources ?? []) {
    if (!resource.kind || !resource.name || !resource.version) continue;
    const ref: ObjectRef = {
      apiVersion: apiVersionOf(resource.group ?? '', resource.version),
      kind: resource.kind,
      name: resource.name,
    };
    if (resource.namespace) ref.namespace = resource.namespace;
    refs.push(ref);
  }
  return refs;
}

/** The controller object's own list of what it applied, by its kind. */
export function controllerInventory(controller: KubeObject): ObjectRef[] {
  if (controller.kind === 'Application') return argoResources(controller);
  if (controller.kind === 'Kustomization' || controller.kind === 'ResourceSet') return fluxInventory(controller);
  return [];
}

/** Identity of an object across API versions of the same group (identity.ts `refId`, under sync's name). */
export const refKey: (ref: ObjectRef) => string = refId;
