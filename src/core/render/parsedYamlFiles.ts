// Parsed repo files (kustomizations, resource files), reused while a file's text is unchanged. Environments'
// overlays share their bases, so one status would parse each base file once per environment, and every
// refresh again. They are read with js-yaml (~4x faster than the `yaml` Document API), noting the line where
// each document starts; whatever js-yaml refuses (duplicate keys, custom tags) is parsed by the `yaml` API as
// before, which also words the error. Callers get the shared parse: read it, never change it.
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { FileReads } from './fileReads';
import { mayShareValues, parseYamlDocuments, plainDataProblem, type YamlDocument } from './parseManifests';

/** Files kept; the oldest are dropped past this (a repo's kustomizations and resource files, many times over). */
const MAX_FILES = 5000;
const parsed = new Map<string, { text: string; documents: readonly YamlDocument[] }>();

/** The YAML documents of `file` (throws ManifestParseError naming file and line when malformed). */
export async function readYamlDocuments(file: string, reads = new FileReads()): Promise<readonly YamlDocument[]> {
  const text = await reads.readText(file);
  const cached = parsed.get(file);
  if (cached?.text === text) return cached.documents;
  const documents = parseQuickly(text, file) ?? parseYamlDocuments(text, file);
  parsed.delete(file);
  parsed.set(file, { text, documents });
  if (parsed.size > MAX_FILES) parsed.delete(parsed.keys().next().value as string);
  return documents;
}

/**
 * The documents with the 1-based line where each one's content starts (as parseYamlDocuments gives it), or
 * undefined when js-yaml cannot read the text. Comments are not kept: no caller of a repo file needs them.
 */
export function parseQuickly(text: string, file: string): YamlDocument[] | undefined {
  const starts: number[] = [];
  let depth = 0;
  let values: unknown[];
  try {
    values = loadAll(text, undefined, {
      schema: CORE_SCHEMA,
      filename: file,
      listener: (event, state) => {
        if (event === 'open' && depth++ === 0) starts.push(state.line + 1);
        if (event === 'close') depth--;
      },
    });
  } catch {
    return undefined;
  }
  // A cycle or an alias bomb (js-yaml shares aliased values) is left to the `yaml` API, which words the error.
  if (starts.length !== values.length || (mayShareValues(text) && values.some((value) => plainDataProblem(value) !== undefined)) || values.some(hasCollectionKey)) return undefined;
  return values.flatMap((value, index) => (value === null || value === undefined ? [] : [{ value, line: starts[index] }]));
}

/** js-yaml turns a mapping key that is itself a mapping or list into "[object Object]"; the `yaml` API keeps its text. */
function hasCollectionKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasCollectionKey);
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, child]) => key.startsWith('[object ') || hasCollectionKey(child));
}
