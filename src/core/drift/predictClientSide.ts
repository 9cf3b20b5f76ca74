// The fallback when the server refuses a dry-run (the user may read but not patch): predict the stored object by
// laying the desired fields over the live object. Fields only the live object has (server defaults, other
// managers' fields) are kept, so they are never drift; this cannot see removals of fields Driftline owned,
// which is why results from it are marked `comparison: 'client-side'`.
import type { KubeObject } from '../model';
import { isPlainObject } from './changedPaths';
import { isQuantityField, storedAs, type FieldPath } from './quantity';

export function predictClientSide(live: KubeObject, desired: KubeObject): KubeObject {
  return overlay(live, desired, [], (path) => isQuantityField(desired.apiVersion, desired.kind, path)) as KubeObject;
}

function overlay(live: unknown, desired: unknown, path: FieldPath, quantity: (path: FieldPath) => boolean): unknown {
  if (isPlainObject(live) && isPlainObject(desired)) {
    const merged: Record<string, unknown> = { ...live };
    for (const [key, value] of Object.entries(desired)) {
      if (value === null) continue; // YAML `key:` with no value: the server drops it too
      merged[key] = key in live ? overlay(live[key], value, [...path, key], quantity) : structuredClone(value);
    }
    return merged;
  }
  // Lists with the same length are the same elements with server defaults filled in; a different length is a
  // real change and the desired list wins.
  if (Array.isArray(live) && Array.isArray(desired) && live.length === desired.length) {
    return desired.map((element, index) => overlay(live[index], element, [...path, index], quantity));
  }
  // `cpu: "0.5"` is stored as "500m": the same quantity is no drift.
  if (quantity(path) && storedAs(desired, live)) return live;
  // YAML `replicas: "1"` or `cpu: 1` is stored as the server's canonical form; equal text is no drift.
  if ((typeof desired === 'number' || typeof desired === 'boolean') && typeof live === 'string' && String(desired) === live) return live;
  if (typeof desired === 'string' && typeof live === 'number' && desired === String(live)) return live;
  return structuredClone(desired);
}
