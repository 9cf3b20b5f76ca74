// Where in a `.jsonnet` file an object of its output is written, as far as the text tells without evaluating it
// again: the line of the object's `kind` field when the file writes that kind literally on one line only (and
// the output has one object of that kind), else the line of its `metadata.name` when the file writes that name
// literally on one line only (and no other object of the output has it). An object built elsewhere (an imported library, a comprehension, a computed name)
// gets no line: the file alone is the honest answer.
import type { KubeObject } from '../model';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** 1-based lines of `text` that match `pattern`, leaving out line comments (`//`, `#`). */
function linesMatching(lines: string[], pattern: RegExp): number[] {
  return lines.flatMap((line, index) => (!/^\s*(\/\/|#)/.test(line) && pattern.test(line) ? [index + 1] : []));
}

/** The line of each object in `text` (the main file), or undefined where the text does not tell. */
export function jsonnetLines(text: string, objects: KubeObject[]): (number | undefined)[] {
  const lines = text.split('\n');
  const ofKind = new Map<string, number>();
  const ofName = new Map<string, number>();
  for (const object of objects) {
    ofKind.set(object.kind, (ofKind.get(object.kind) ?? 0) + 1);
    ofName.set(object.metadata.name, (ofName.get(object.metadata.name) ?? 0) + 1);
  }
  return objects.map((object) => {
    if (ofKind.get(object.kind) === 1) {
      const kindLines = linesMatching(lines, new RegExp(`["']?kind["']?\\s*:\\s*(["'])${escape(object.kind)}\\1`));
      if (kindLines.length === 1) return kindLines[0];
    }
    if (ofName.get(object.metadata.name) !== 1) return undefined;
    const nameLines = linesMatching(lines, new RegExp(`["']?name["']?\\s*:\\s*(["'])${escape(object.metadata.name)}\\1`));
    return nameLines.length === 1 ? nameLines[0] : undefined;
  });
}
