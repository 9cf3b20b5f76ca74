// The text edits behind the doctor's quick fixes, as pure functions over a file's text: the editor applies them
// as a workspace edit, so they are undoable and the user sees them before saving.
import { isMap, LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import { QUIET_YAML } from '../yamlLimits';

/** `.driftline.yaml` with `doctor.rules.<rule>: off` (the file created when there is none); comments kept. */
export function ruleOffConfig(text: string | undefined, rule: string): string {
  const document = parseDocument(text ?? '', { ...QUIET_YAML, prettyErrors: false });
  const [error] = document.errors;
  if (error) throw new Error(`.driftline.yaml is not valid YAML (${error.message}${error.linePos ? ` at line ${error.linePos[0].line}` : ''}): fix it first`);
  document.setIn(['doctor', 'rules', rule], 'off');
  return document.toString();
}

/**
 * The file with `wait: true` added to the spec of the document whose object starts at `line` (1-based): inserted
 * as one line at the end of the spec block, so nothing else of the file changes; undefined when that document
 * has no block `spec` to add it to.
 */
export function addKustomizationWait(text: string, line: number): string | undefined {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { ...QUIET_YAML, lineCounter: lines });
  const offsetOfLine = lines.lineStarts[line - 1];
  if (offsetOfLine === undefined || !Array.isArray(documents)) return undefined;
  const document = documents.find((candidate) => candidate.range[0] <= offsetOfLine && offsetOfLine < Math.max(candidate.range[2], candidate.range[0] + 1)) ??
    documents.find((candidate) => candidate.range[0] >= offsetOfLine);
  const spec = document?.get('spec', true);
  if (!isMap(spec) || spec.flow || spec.items.length === 0 || !spec.range) return undefined;
  const firstKey = spec.items[0]!.key as { range?: [number, number, number] } | null;
  if (!firstKey?.range) return undefined;
  const indent = ' '.repeat(lines.linePos(firstKey.range[0]).col - 1);
  const end = spec.range[1];
  const insertAt = text.lastIndexOf('\n', end - 1) + 1 === end ? end : text.indexOf('\n', end) + 1 || text.length;
  const before = text.slice(0, insertAt);
  return `${before}${before.endsWith('\n') ? '' : '\n'}${indent}wait: true\n${text.slice(insertAt)}`;
}
