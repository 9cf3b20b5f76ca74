// Discovery and renders hold absolute paths. The two sides of a preview are the same repository in two
// folders: where a side is proven equal to the other, its model and renders are the other's with the folder
// exchanged, instead of discovering and rendering it again.
import path from 'node:path';

/** A deep copy of `value` in which every string naming `from` or a path under it names the same path under `to`. */
export function rebasePaths<T>(value: T, from: string, to: string): T {
  const prefix = from.endsWith(path.sep) ? from : `${from}${path.sep}`;
  const rebase = (item: unknown): unknown => {
    if (typeof item === 'string') return item === from ? to : item.startsWith(prefix) ? path.join(to, item.slice(prefix.length)) : item;
    if (Array.isArray(item)) return item.map(rebase);
    if (item && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, field]) => [key, rebase(field)]));
    return item;
  };
  return rebase(value) as T;
}
