// Which fields differ between two normalized objects, as JSON pointers ("/spec/replicas", "/data/password").
// Pointers name fields, never values, so they are safe to show for Secrets.
import { formatPointer } from './jsonPointer';

/** JSON pointers of every leaf that differs between `live` and `desired`, in document order. */
export function changedPaths(live: unknown, desired: unknown): string[] {
  const found: string[] = [];
  walk(live, desired, [], found);
  return found;
}

function walk(live: unknown, desired: unknown, at: (string | number)[], found: string[]): void {
  if (Array.isArray(live) && Array.isArray(desired)) {
    const length = Math.max(live.length, desired.length);
    for (let index = 0; index < length; index++) {
      if (index >= live.length || index >= desired.length) found.push(formatPointer([...at, index]));
      else walk(live[index], desired[index], [...at, index], found);
    }
    return;
  }
  if (isPlainObject(live) && isPlainObject(desired)) {
    const keys = new Set([...Object.keys(live), ...Object.keys(desired)]);
    for (const key of keys) {
      if (!(key in live) || !(key in desired)) found.push(formatPointer([...at, key]));
      else walk(live[key], desired[key], [...at, key], found);
    }
    return;
  }
  if (live !== desired) found.push(formatPointer(at));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
