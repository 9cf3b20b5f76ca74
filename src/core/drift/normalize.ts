// Normalization as small named steps (after Argo CD gitops-engine pkg/diff): each removes one kind of noise
// that is not drift, so the predicted and the live object can be compared field by field. Steps mutate the
// copy `normalize` hands them; callers never see their input changed.
import { DRIFTLINE_APP_LABEL, DRIFTLINE_ENV_ANNOTATION, DRIFTLINE_REVISION_ANNOTATION, type KubeObject } from '../model';
import { isPlainObject } from './changedPaths';
import { storesCanonicalQuantities } from './quantity';

export type NormalizeStep = (object: KubeObject) => void;

const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Field ownership bookkeeping: changes on every apply by anyone, never drift. */
export const removeManagedFields: NormalizeStep = (object) => {
  delete object.metadata.managedFields;
};

/** Identity and bookkeeping the server assigns (resourceVersion, uid, generation, creationTimestamp, selfLink). */
export const removeServerAssignedMetadata: NormalizeStep = (object) => {
  for (const field of ['resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink']) {
    delete object.metadata[field];
  }
};

/** Status is written by controllers, not by Git. */
export const removeStatus: NormalizeStep = (object) => {
  delete object.status;
};

/** `kubectl apply` (client-side) stores the whole previous config here; it mirrors Git, it is not state. */
export const removeLastAppliedAnnotation: NormalizeStep = (object) => {
  const annotations = object.metadata.annotations;
  if (!annotations || !(LAST_APPLIED_ANNOTATION in annotations)) return;
  delete annotations[LAST_APPLIED_ANNOTATION];
};

/**
 * Driftline's own tracking label and annotation (written by a direct sync so prune can find what it applied)
 * say who applied an object, not what it should be: present or not, they are never drift.
 */
export const removeDriftlineTracking: NormalizeStep = (object) => {
  if (object.metadata.labels) delete object.metadata.labels[DRIFTLINE_APP_LABEL];
  if (object.metadata.annotations) delete object.metadata.annotations[DRIFTLINE_ENV_ANNOTATION];
};

/**
 * The commit a direct sync recorded (tracking.ts) says when the object was applied, not what it should be: never
 * drift, and no reason for a sync to write an object again (a sync plan compares without it too).
 */
export const removeDriftlineRevision: NormalizeStep = (object) => {
  if (object.metadata.annotations) delete object.metadata.annotations[DRIFTLINE_REVISION_ANNOTATION];
};

/** `labels: {}` and no labels mean the same to the server; so do empty annotations. */
export const removeEmptyMetadataMaps: NormalizeStep = (object) => {
  for (const field of ['labels', 'annotations'] as const) {
    const map = object.metadata[field];
    if (map && Object.keys(map).length === 0) delete object.metadata[field];
  }
};

/** The server merges Secret `stringData` into base64 `data` on write; compare in the stored form. */
export const secretStringDataToData: NormalizeStep = (object) => {
  if (object.apiVersion !== 'v1' || object.kind !== 'Secret') return;
  const stringData = object.stringData as Record<string, string> | undefined;
  if (!stringData) return;
  const data = { ...((object.data as Record<string, string> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(String(value)).toString('base64');
  object.data = data;
  delete object.stringData;
};

/**
 * Ports without `protocol` mean TCP. The server defaults it, but server-side apply (on 1.20 and on newer servers
 * for some lists) refuses a port list whose elements omit the key field `protocol`. Flux fills it in before
 * applying; so do we, before a dry-run. It never shows as drift because the server stores TCP either way.
 */
export const defaultPortProtocols: NormalizeStep = (object) => {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return;
  if (object.kind === 'Service') fillProtocols(spec.ports);
  for (const podSpec of podSpecsOf(object)) {
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      for (const container of asArray(podSpec[list])) fillProtocols((container as Record<string, unknown>).ports);
    }
  }
};

/**
 * Resource quantities written as YAML numbers (`cpu: 1`) mean the same as strings to the server, which stores
 * "1"; but server-side apply refuses a number where its schema says quantity ("expected string"). Flux converts
 * through the typed object, which has the same effect; so do we, before a dry-run.
 */
export const stringifyQuantities: NormalizeStep = (object) => {
  const spec = object.spec;
  // A custom resource keeps a number a number (and so does what its controller or Flux applied): never drift.
  if (!isPlainObject(spec) || !storesCanonicalQuantities(object.apiVersion)) return;
  for (const podSpec of podSpecsOf(object)) {
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      for (const container of asArray(podSpec[list])) stringifyResources(fieldAt(container, 'resources'));
    }
    stringifyValues(podSpec.overhead);
  }
  if (object.kind === 'PersistentVolumeClaim') stringifyResources(spec.resources);
  for (const template of asArray(spec.volumeClaimTemplates)) stringifyResources(fieldAt(template, 'spec', 'resources'));
  if (object.kind === 'ResourceQuota') stringifyValues(spec.hard);
  if (object.kind === 'LimitRange') {
    for (const limit of asArray(spec.limits)) {
      for (const field of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) stringifyValues(fieldAt(limit, field));
    }
  }
};

function stringifyResources(resources: unknown): void {
  if (!isPlainObject(resources)) return;
  stringifyValues(resources.limits);
  stringifyValues(resources.requests);
}

function stringifyValues(map: unknown): void {
  if (!map || typeof map !== 'object' || Array.isArray(map)) return;
  const values = map as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) if (typeof value === 'number') values[key] = String(value);
}

function fillProtocols(ports: unknown): void {
  for (const port of asArray(ports)) {
    const entry = port as Record<string, unknown>;
    if (entry && typeof entry === 'object' && (entry.protocol === undefined || entry.protocol === '')) {
      entry.protocol = 'TCP';
    }
  }
}

/** The pod specs inside a workload: Pod itself, `spec.template` kinds, and CronJob's job template. */
function podSpecsOf(object: KubeObject): Record<string, unknown>[] {
  const spec = object.spec;
  if (!isPlainObject(spec)) return [];
  if (object.kind === 'Pod') return [spec];
  const found = [fieldAt(spec, 'template', 'spec'), fieldAt(spec, 'jobTemplate', 'spec', 'template', 'spec')];
  return found.filter(isPlainObject);
}

/** The value at `keys` below `value`, or undefined where a step is not an object: a walk through untyped YAML. */
function fieldAt(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isPlainObject(current) ? current[key] : undefined;
  return current;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** What is removed from both sides before comparing a live object with its predicted form. */
export const comparisonSteps: NormalizeStep[] = [
  removeManagedFields,
  removeServerAssignedMetadata,
  removeStatus,
  removeLastAppliedAnnotation,
  removeDriftlineTracking,
  removeDriftlineRevision,
  removeEmptyMetadataMaps,
  secretStringDataToData,
];

/** What a desired object goes through before it is sent to the server as a dry-run apply. */
export const beforeDryRunSteps: NormalizeStep[] = [defaultPortProtocols, stringifyQuantities];

/** A normalized deep copy of `object`; the input is left untouched. */
export function normalize(object: KubeObject, steps: NormalizeStep[] = comparisonSteps): KubeObject {
  // managedFields are often the bulk of a live object: leave them out of the copy when a step would drop them.
  const { managedFields, ...metadata } = object.metadata;
  const copy = structuredClone(managedFields !== undefined && steps.includes(removeManagedFields) ? { ...object, metadata } : object);
  for (const step of steps) step(copy);
  return copy;
}
