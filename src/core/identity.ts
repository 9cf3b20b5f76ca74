// Object identity, computed one way for every layer. An object is its API group, kind, namespace and name: the
// version is left out, because one object is served at several versions (`autoscaling/v1` and `autoscaling/v2`
// HorizontalPodAutoscaler are the same object). Two kinds with one name in different groups (Istio's
// `networking.istio.io` Gateway and Gateway API's `gateway.networking.k8s.io` Gateway) are different kinds, so
// every key below carries the group: engine lookups, sync's prune sets, the Drift view's row ids and the diff
// documents' URIs alike.
import type { KubeObject, ObjectRef } from './model';

/** An object as the cluster identifies it, whatever version it is read at; `namespace` absent when cluster-scoped. */
export interface ObjectIdentity {
  /** API group, `` for the core group (`v1`). */
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The version of an apiVersion (`apps/v1` -> `v1`, `v1` -> `v1`). */
export function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

/** The apiVersion of a group and version (`apps`, `v1` -> `apps/v1`; ``, `v1` -> `v1`). */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** A kind as a ref (apiVersion) or an identity (group) names it. */
type KindRef = { apiVersion: string; kind: string } | { group: string; kind: string };

/** The group of a ref or identity, whichever it is. */
function groupOfRef(ref: KindRef): string {
  return 'group' in ref ? ref.group : groupOf(ref.apiVersion);
}

export function identityOf(ref: ObjectRef | ObjectIdentity): ObjectIdentity {
  const identity: ObjectIdentity = { group: groupOfRef(ref), kind: ref.kind, name: ref.name };
  if (ref.namespace) identity.namespace = ref.namespace;
  return identity;
}

/** The ref of an object as it is written (its apiVersion kept). */
export function refOf(object: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name };
  if (object.metadata.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}

/** Identity of a kind across its versions: `apps/Deployment`, `/ConfigMap`. */
export function kindId(ref: KindRef): string {
  return `${groupOfRef(ref)}/${ref.kind}`;
}

/** Identity of an object within one cluster: `<group>/<kind>/<namespace>/<name>` (namespace empty when cluster-scoped). */
export function refId(ref: ObjectRef | ObjectIdentity): string {
  return `${groupOfRef(ref)}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

export function sameObject(a: ObjectRef | ObjectIdentity, b: ObjectRef | ObjectIdentity): boolean {
  return a.name === b.name && a.kind === b.kind && (a.namespace ?? '') === (b.namespace ?? '') && groupOfRef(a) === groupOfRef(b);
}

/**
 * A kind with its group as kubectl spells it (`Gateway.networking.istio.io`, `Deployment.apps`), or the bare kind
 * for the core group. A kind never contains a dot, so `parseQualifiedKind` reads it back.
 */
export function qualifiedKind(ref: KindRef): string {
  const group = groupOfRef(ref);
  return group ? `${ref.kind}.${group}` : ref.kind;
}

export function parseQualifiedKind(text: string): { group: string; kind: string } {
  const dot = text.indexOf('.');
  return dot < 0 ? { group: '', kind: text } : { group: text.slice(dot + 1), kind: text.slice(0, dot) };
}

/** `Kind/namespace/name` (or `Kind/name`), the way errors and logs name an object. */
export function describeRef(ref: { kind: string; namespace?: string; name: string }): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/**
 * How each of `refs` names its kind where they are shown together (one app's rows, one app's diff): the bare kind,
 * unless the list has that kind in more than one group: then every object of it says its group
 * (`Gateway.networking.istio.io`, `Gateway.gateway.networking.k8s.io`), so no two rows read the same and the
 * rows of one kind read alike.
 */
export function shownKinds(refs: readonly (ObjectRef | ObjectIdentity)[]): string[] {
  const groupsByKind = new Map<string, Set<string>>();
  for (const ref of refs) {
    const groups = groupsByKind.get(ref.kind) ?? new Set<string>();
    groups.add(groupOfRef(ref));
    groupsByKind.set(ref.kind, groups);
  }
  return refs.map((ref) => ((groupsByKind.get(ref.kind)?.size ?? 0) > 1 ? qualifiedKind({ group: groupOfRef(ref), kind: ref.kind }) : ref.kind));
}

/** `Kind/name` for each of `refs` shown together, with the group where the kind alone would be ambiguous (shownKinds). */
export function shownNames(refs: readonly (ObjectRef | ObjectIdentity)[]): string[] {
  return shownKinds(refs).map((kind, index) => `${kind}/${refs[index].name}`);
}
