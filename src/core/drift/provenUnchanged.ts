// Whether a server-side apply of a desired object would leave the live object as it is, decided from the live
// object alone, so that no dry-run has to ask. Server-side apply merges the applied fields into the live object
// and removes only fields the same manager applied before and no longer applies. So when every field Git sets
// already has that value live, and our manager's last apply owns no field Git no longer sets, the apply is a
// no-op, and the dry-run would return the live object unchanged.
// The live object's managedFields say how each list merges (by key `k:`, as a set `v:`, or atomically) and
// which maps are atomic; where they do not say, only an exactly equal value proves anything. Whenever the proof
// does not go through (a quantity written differently, stringData, a field the server drops, a drifted value)
// the caller asks the server as before: this can only skip dry-runs whose answer is known, never guess one.
import { DRIFTLINE_APP_LABEL, DRIFTLINE_ENV_ANNOTATION, type KubeObject } from '../model';
import { isQuantityField, storedAs, type FieldPath } from './quantity';

/** managedFields' FieldsV1: `f:<field>`, `k:<key JSON>` (list item by key), `v:<value JSON>` (set item), `.` (the item itself). */
type FieldSet = { [path: string]: FieldSet };

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  fieldsType?: string;
  fieldsV1?: FieldSet;
  subresource?: string;
}

/** Metadata a desired object may carry for the proof to apply; anything else (ownerReferences, finalizers, ...) goes to the server. */
const PROVABLE_METADATA = new Set(['name', 'namespace', 'labels', 'annotations']);

/**
 * Our tracking label and annotation (added by a direct sync) are removed before any comparison: an apply that
 * drops them changes nothing the comparison sees (normalize.ts removeDriftlineTracking).
 */
const TRACKING_FIELDS: Record<string, string> = { labels: DRIFTLINE_APP_LABEL, annotations: DRIFTLINE_ENV_ANNOTATION };

export function applyChangesNothing(desired: KubeObject, live: KubeObject, fieldManager: string): boolean {
  if (desired.apiVersion !== live.apiVersion || desired.kind !== live.kind || 'status' in desired) return false;
  const { metadata, apiVersion: _apiVersion, kind: _kind, ...body } = desired;
  if (Object.keys(metadata).some((field) => !PROVABLE_METADATA.has(field))) return false;
  if (metadata.name !== live.metadata.name || (metadata.namespace !== undefined && metadata.namespace !== live.metadata.namespace)) return false;
  const entries = managedFieldsOf(live).filter((entry) => entry.apiVersion === desired.apiVersion && entry.fieldsType === 'FieldsV1' && !entry.subresource);
  if (entries.length === 0) return false;
  const ours = entries.filter((entry) => entry.manager === fieldManager && entry.operation === 'Apply');
  if (ours.length > 1 || managedFieldsOf(live).some((entry) => entry.manager === fieldManager && entry.operation === 'Apply' && entry.apiVersion !== desired.apiVersion)) return false;
  const structure = entries.reduce<FieldSet>((union, entry) => mergeFieldSets(union, entry.fieldsV1 ?? {}), {});
  const { name: _name, namespace: _namespace, ...settable } = metadata;
  const applied: Record<string, unknown> = Object.keys(settable).length > 0 ? { ...body, metadata: settable } : body;
  const quantity = (path: FieldPath) => isQuantityField(desired.apiVersion, desired.kind, path);
  return containedIn(applied, live, structure, [], quantity) && ownedStillApplied(ours[0]?.fieldsV1 ?? {}, applied, []);
}

function managedFieldsOf(live: KubeObject): ManagedFieldsEntry[] {
  const entries = live.metadata.managedFields;
  return Array.isArray(entries) ? entries as ManagedFieldsEntry[] : [];
}

function mergeFieldSets(a: FieldSet, b: FieldSet): FieldSet {
  const merged: FieldSet = { ...a };
  for (const [path, child] of Object.entries(b)) merged[path] = path in merged ? mergeFieldSets(merged[path], child) : child;
  return merged;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** Whether the field at a path holds a resource quantity (compared by the value the server stores). */
type IsQuantity = (path: FieldPath) => boolean;

/** Does `live` already hold every value of `applied`, merged the way `structure` says the server merges? */
function containedIn(applied: unknown, live: unknown, structure: FieldSet | undefined, path: FieldPath, quantity: IsQuantity): boolean {
  if (applied === null || applied === undefined) return false; // null asks the server to remove a field
  if (Array.isArray(applied)) return Array.isArray(live) && listContainedIn(applied, live, structure, path, quantity);
  if (isPlainObject(applied)) {
    if (!isPlainObject(live)) return false;
    // A map no manager describes field by field is atomic (or its structure unknown): only equality proves it.
    const granular = !!structure && Object.keys(structure).some((path) => path.startsWith('f:'));
    if (!granular) return deepEqual(applied, live);
    return Object.entries(applied).every(([field, value]) => field in live && containedIn(value, live[field], structure[`f:${field}`], [...path, field], quantity));
  }
  return applied === live || (quantity(path) && storedAs(applied, live));
}

function listContainedIn(applied: unknown[], live: unknown[], structure: FieldSet | undefined, path: FieldPath, quantity: IsQuantity): boolean {
  const paths = Object.keys(structure ?? {});
  const keyed = paths.filter((path) => path.startsWith('k:'));
  if (keyed.length > 0) {
    const items = keyed.map((path) => ({ key: JSON.parse(path.slice(2)) as Record<string, unknown>, structure: structure![path] }));
    const keyFields = Object.keys(items[0].key);
    const seen = new Set<string>();
    return applied.every((item) => {
      if (!isPlainObject(item) || keyFields.some((field) => !isScalar(item[field]))) return false;
      const id = JSON.stringify(keyFields.map((field) => item[field]));
      if (seen.has(id)) return false;
      seen.add(id);
      const matches = live.filter((candidate) => isPlainObject(candidate) && keyFields.every((field) => candidate[field] === item[field]));
      if (matches.length !== 1) return false;
      const described = items.find((entry) => keyFields.every((field) => entry.key[field] === item[field]));
      return containedIn(item, matches[0], described?.structure, [...path, live.indexOf(matches[0])], quantity);
    });
  }
  if (paths.some((path) => path.startsWith('v:'))) {
    return applied.every((item) => isScalar(item) && live.includes(item));
  }
  return deepEqual(applied, live);
}

/** Is every field our manager's last apply owns still in `applied`? (If not, this apply would remove it.) */
function ownedStillApplied(owned: FieldSet, applied: unknown, at: string[]): boolean {
  return Object.entries(owned).every(([path, children]) => {
    if (path === '.') return true;
    const kind = path.slice(0, 2);
    const detail = path.slice(2);
    if (kind === 'f:') {
      if (at.length === 1 && at[0] === 'f:metadata' && TRACKING_FIELDS[detail] && isPlainObject(applied)) {
        const trackingKey = TRACKING_FIELDS[detail];
        const rest = Object.fromEntries(Object.entries(children).filter(([child]) => child !== `f:${trackingKey}`));
        return Object.keys(rest).length === 0 || (isPlainObject(applied[detail]) && ownedStillApplied(rest, applied[detail], [...at, path]));
      }
      if (!isPlainObject(applied) || !(detail in applied)) return false;
      return ownedStillApplied(children, applied[detail], [...at, path]);
    }
    if (kind === 'k:') {
      if (!Array.isArray(applied)) return false;
      const key = JSON.parse(detail) as Record<string, unknown>;
      const item = applied.find((candidate) => isPlainObject(candidate) && Object.entries(key).every(([field, value]) => candidate[field] === value));
      return item !== undefined && ownedStillApplied(children, item, [...at, path]);
    }
    if (kind === 'v:') {
      if (!Array.isArray(applied)) return false;
      const value = JSON.parse(detail) as unknown;
      return applied.some((candidate) => deepEqual(candidate, value));
    }
    return false; // `i:` (by position) or anything newer: let the server decide
  });
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}
