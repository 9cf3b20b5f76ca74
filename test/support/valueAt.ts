// Reading and changing a field of an untyped object fixture by its JSON pointer, so that a test can assert on
// `/spec/template/spec/containers/0/ports/0/protocol` without casting the object to `any` to walk there.
import { parsePointer } from '../../src/core/drift/jsonPointer';

/** The value at `pointer` in `document`, or undefined where a step is missing or not an object. */
export function valueAt(document: unknown, pointer: string): unknown {
  return walk(document, parsePointer(pointer));
}

/** Sets the field `pointer` names; its parent must exist. */
export function setAt(document: unknown, pointer: string, value: unknown): void {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  const parent = walk(document, tokens);
  if (last === undefined || parent === null || typeof parent !== 'object') throw new Error(`no object at the parent of ${pointer}`);
  (parent as Record<string, unknown>)[last] = value;
}

function walk(document: unknown, tokens: string[]): unknown {
  let current = document;
  for (const token of tokens) {
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[token] : undefined;
  }
  return current;
}
