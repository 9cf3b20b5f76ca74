// Multi-document YAML -> Kubernetes objects, each with the file and line that defines it. Shared by discovery
// (which reads Flux/Argo objects from the repo) and rendering (which reads tool output and plain folders).
import { LineCounter, parseAllDocuments } from 'yaml';
import type { DesiredObject, KubeObject } from '../model';
import { QUIET_YAML, yamlErrorText, yamlNestingProblem } from '../yamlLimits';

/** One YAML document of a file: its parsed value, the line where its content starts and its leading comment. */
export interface YamlDocument {
  value: unknown;
  line: number;
  comment?: string;
}

/** Malformed YAML: names the file and the line, like `apps/x.yaml:12: ...`. */
export class ManifestParseError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, readonly detail: string) {
    super(`${file}${line ? `:${line}` : ''}: invalid YAML: ${detail}`);
    this.name = 'ManifestParseError';
  }
}

export function parseYamlDocuments(text: string, file: string): YamlDocument[] {
  const tooDeep = yamlNestingProblem(text);
  if (tooDeep) throw new ManifestParseError(file, undefined, tooDeep);
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { ...QUIET_YAML, lineCounter, uniqueKeys: false, prettyErrors: false });
  const result: YamlDocument[] = [];
  for (const document of documents) {
    const [error] = document.errors;
    if (error) {
      const { line, text: detail } = yamlErrorText(error, lineCounter);
      throw new ManifestParseError(file, line, detail);
    }
    if (document.contents === null) continue;
    const start = document.contents.range?.[0] ?? 0;
    const line = lineCounter.linePos(start).line;
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      // Aliases are resolved here: one without its anchor, or an alias bomb (too many), is the file's fault.
      throw new ManifestParseError(file, line, (error as Error).message);
    }
    const problem = mayShareValues(text) ? plainDataProblem(value) : undefined;
    if (problem) throw new ManifestParseError(file, line, problem);
    const parsed: YamlDocument = { value, line };
    // A comment right after `---` (helm's `# Source:` line) belongs to the contents, not to the document.
    const comment = document.commentBefore ?? document.contents.commentBefore;
    if (comment) parsed.comment = comment;
    result.push(parsed);
  }
  return result;
}

/** How many values aliases may add to a document beyond those written out: more is an alias bomb. */
const MAX_ALIAS_EXPANSION = 100_000;

/** Only an anchor (`&name`) lets aliases share values: text without `&` needs no plainDataProblem walk. */
export function mayShareValues(text: string): boolean {
  return text.includes('&');
}

/**
 * Why a parsed YAML value is not plain data, or undefined when it is. Aliases share values: an alias inside
 * its own anchor makes a cycle, and aliases of aliases blow a small text up (the "billion laughs"); every
 * consumer (hashing, comparing, JSON) would then loop or run out of memory. Linear in the distinct values.
 */
export function plainDataProblem(value: unknown): string | undefined {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  let written = 0;
  let expanded = 0;
  const size = (node: object): number => {
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) throw new Error('an alias refers to a value that holds it (a cycle)');
    open.add(node);
    let total = 1;
    written += 1;
    for (const child of Object.values(node)) {
      if (child && typeof child === 'object') total += size(child);
      else { total += 1; written += 1; }
    }
    open.delete(node);
    sizes.set(node, total);
    return total;
  };
  try {
    if (value && typeof value === 'object') expanded = size(value);
  } catch (error) {
    return (error as Error).message;
  }
  return expanded - written > MAX_ALIAS_EXPANSION
    ? `aliases expand it to ${expanded} values, ${expanded - written} more than written (at most ${MAX_ALIAS_EXPANSION})`
    : undefined;
}

export function isKubeObject(value: unknown): value is KubeObject {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  const metadata = candidate.metadata as Record<string, unknown> | undefined;
  return typeof candidate.apiVersion === 'string' && typeof candidate.kind === 'string' &&
    !!metadata && typeof metadata === 'object' && typeof metadata.name === 'string';
}

/**
 * Whether a document describes how to build manifests rather than a cluster object: kustomize's own
 * files (Kustomization, Component) and objects marked `config.kubernetes.io/local-config`.
 */
export function isBuildConfig(object: KubeObject): boolean {
  return object.apiVersion.startsWith('kustomize.config.k8s.io/') ||
    object.metadata.annotations?.['config.kubernetes.io/local-config'] === 'true';
}

/** `kind: List` (and `FooList`) documents hold their objects in `items`. */
export function expandLists(value: unknown): unknown[] {
  const candidate = value as { kind?: unknown; items?: unknown } | null;
  if (candidate && typeof candidate.kind === 'string' && candidate.kind.endsWith('List') && Array.isArray(candidate.items)) {
    return candidate.items;
  }
  return [value];
}

/**
 * The Kubernetes objects of one YAML text. Documents that are not objects (values files, Chart.yaml, partial
 * YAML, kustomize config) are skipped; malformed YAML throws a ManifestParseError naming file and line.
 */
export function parseManifests(text: string, file: string): DesiredObject[] {
  return manifestsOf(parseYamlDocuments(text, file), file);
}

/** The Kubernetes objects of parsed documents (see parseManifests). */
export function manifestsOf(documents: readonly YamlDocument[], file: string): DesiredObject[] {
  const objects: DesiredObject[] = [];
  for (const document of documents) {
    for (const value of expandLists(document.value)) {
      if (isKubeObject(value) && !isBuildConfig(value)) objects.push({ object: value, source: { file, line: document.line } });
    }
  }
  return objects;
}
