// `.driftline.yaml`: read and validate. Every problem names the file and the line of the offending value;
// an invalid entry is left out whole (never half-applied) and the valid ones still count.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { RuleSetting } from '../doctor/finding';
import { DOCTOR_RULES } from '../doctor/rules';
import type { DiscoveryProblem, IgnoreRule, RendererKind, ToolPaths } from '../model';
import { mayShareValues, plainDataProblem } from '../render/parseManifests';
import { mirrorProblem, type SourceMirrors } from '../sources/mirrors';
import { yamlErrorText, yamlNestingProblem } from '../yamlLimits';

export const CONFIG_FILE_NAME = '.driftline.yaml';

export interface ConfigEnvironment {
  name: string;
  context?: string;
  protected?: boolean;
  line?: number;
}

export interface ConfigApp {
  name: string;
  environments: string[];
  /** Relative to the repo root; `{environment}` is replaced by each environment's name. */
  path?: string;
  namespace?: string;
  renderer?: RendererKind;
  recurse?: boolean;
  helm?: { releaseName?: string; valuesFiles: string[]; values?: Record<string, unknown> };
  line?: number;
}

export interface DiscoverySwitches {
  flux: boolean;
  argo: boolean;
  conventions: boolean;
}

export interface DriftlineConfig {
  file: string;
  environments: ConfigEnvironment[];
  apps: ConfigApp[];
  ignoreRules: IgnoreRule[];
  tools: ToolPaths;
  repoURLs: string[];
  discovery: DiscoverySwitches;
  /** Flux `spec.kubeConfig` secrets (`<namespace>/<secret>`) -> the kube context of the cluster they reach. */
  kubeConfigs?: Record<string, string>;
  /** `sources.mirrors`: URL prefix -> the mirror's URL prefix, for Helm, OCI and Git sources (sources/mirrors.ts). */
  mirrors?: SourceMirrors;
  /** `doctor.rules`: a rule id -> `off` or the severity it is reported at. */
  doctorRules?: Record<string, RuleSetting>;
}

type Path = (string | number)[];
type Json = Record<string, unknown>;

const RENDERERS: RendererKind[] = ['yaml', 'kustomize', 'helm'];

/** Validation of one parsed document: typed getters that record a problem (with its line) when a value is wrong. */
class ConfigValidator {
  readonly problems: DiscoveryProblem[] = [];

  constructor(private readonly file: string, private readonly document: Document, private readonly lines: LineCounter) {}

  lineOf(at: Path): number | undefined {
    for (let depth = at.length; depth >= 0; depth--) {
      const node = depth === 0 ? this.document.contents : this.document.getIn(at.slice(0, depth), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return this.lines.linePos(range[0]).line;
    }
    return undefined;
  }

  report(at: Path, message: string): void {
    const where = at.length > 0 ? `${at.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('').slice(1)}: ` : '';
    this.problems.push({ file: this.file, line: this.lineOf(at), message: `${where}${message}` });
  }

  /** Reports keys other than `allowed`; returns false when the value is not a mapping. */
  mapping(value: unknown, at: Path, allowed: string[]): value is Json {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      this.report(at, 'expected a mapping');
      return false;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.report([...at, key], `unknown key "${key}" (expected one of: ${allowed.join(', ')})`);
    }
    return true;
  }

  list(value: unknown, at: Path): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.report(at, 'expected a list');
    return [];
  }

  string(value: unknown, at: Path, required = false): string | undefined | null {
    if (value === undefined || value === null) {
      if (required) this.report(at, 'is required');
      return required ? null : undefined;
    }
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.report(at, 'expected a non-empty string');
    return null;
  }

  boolean(value: unknown, at: Path): boolean | undefined | null {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.report(at, 'expected true or false');
    return null;
  }

  strings(value: unknown, at: Path): string[] | null {
    const items = this.list(value, at);
    const valid = items.filter((item, index) => this.string(item, [...at, index], true) !== null) as string[];
    return valid.length === items.length && (Array.isArray(value) || value == null) ? valid : null;
  }
}

function readEnvironment(v: ConfigValidator, entry: unknown, at: Path): ConfigEnvironment | undefined {
  if (!v.mapping(entry, at, ['name', 'context', 'protected'])) return undefined;
  const name = v.string(entry.name, [...at, 'name'], true);
  const context = v.string(entry.context, [...at, 'context']);
  const isProtected = v.boolean(entry.protected, [...at, 'protected']);
  if (name == null || context === null || isProtected === null) return undefined;
  return { name, context, protected: isProtected, line: v.lineOf(at) };
}

function readHelm(v: ConfigValidator, value: unknown, at: Path): ConfigApp['helm'] | null | undefined {
  if (value === undefined) return undefined;
  if (!v.mapping(value, at, ['releaseName', 'valuesFiles', 'values'])) return null;
  const releaseName = v.string(value.releaseName, [...at, 'releaseName']);
  const valuesFiles = v.strings(value.valuesFiles, [...at, 'valuesFiles']);
  const values = value.values;
  const valuesOk = values === undefined || v.mapping(values, [...at, 'values'], Object.keys(values ?? {}));
  if (releaseName === null || valuesFiles === null || !valuesOk) return null;
  return { releaseName, valuesFiles, values: values as Json | undefined };
}

function readApp(v: ConfigValidator, entry: unknown, at: Path): ConfigApp | undefined {
  const keys = ['name', 'environment', 'environments', 'path', 'namespace', 'renderer', 'recurse', 'helm'];
  if (!v.mapping(entry, at, keys)) return undefined;
  const name = v.string(entry.name, [...at, 'name'], true);
  const single = v.string(entry.environment, [...at, 'environment']);
  const several = entry.environments === undefined ? [] : v.strings(entry.environments, [...at, 'environments']);
  const environments = [...(single ? [single] : []), ...(several ?? [])];
  if (single !== null && several !== null && environments.length === 0) v.report(at, 'needs "environment" or "environments"');
  const appPath = v.string(entry.path, [...at, 'path']);
  const namespace = v.string(entry.namespace, [...at, 'namespace']);
  const renderer = v.string(entry.renderer, [...at, 'renderer']);
  const rendererOk = renderer == null || RENDERERS.includes(renderer as RendererKind);
  if (!rendererOk) v.report([...at, 'renderer'], `"${renderer}" is not one of ${RENDERERS.join(', ')}`);
  const recurse = v.boolean(entry.recurse, [...at, 'recurse']);
  const helm = readHelm(v, entry.helm, [...at, 'helm']);
  const invalid = [name, single, several, appPath, namespace, renderer, recurse, helm].includes(null);
  if (invalid || !rendererOk || environments.length === 0) return undefined;
  return {
    name: name!, environments, path: appPath ?? undefined, namespace: namespace ?? undefined,
    renderer: (renderer ?? undefined) as RendererKind | undefined, recurse: recurse ?? undefined, helm: helm ?? undefined,
    line: v.lineOf(at),
  };
}

function readIgnoreRule(v: ConfigValidator, entry: unknown, at: Path): IgnoreRule | undefined {
  if (!v.mapping(entry, at, ['group', 'kind', 'name', 'namespace', 'jsonPointers'])) return undefined;
  const rule: IgnoreRule = { jsonPointers: [] };
  let valid = true;
  for (const key of ['group', 'kind', 'name', 'namespace'] as const) {
    // `group: ""` is the core API group, so an empty string is allowed here.
    const value = entry[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') rule[key] = value;
    else { v.report([...at, key], 'expected a string'); valid = false; }
  }
  const pointers = v.strings(entry.jsonPointers, [...at, 'jsonPointers']);
  if (!pointers || pointers.length === 0) {
    if (pointers) v.report([...at, 'jsonPointers'], 'needs at least one JSON pointer');
    return undefined;
  }
  pointers.forEach((pointer, index) => {
    if (!pointer.startsWith('/')) { v.report([...at, 'jsonPointers', index], `"${pointer}" is not a JSON pointer (starts with /)`); valid = false; }
  });
  rule.jsonPointers = pointers;
  return valid ? rule : undefined;
}

function readTools(v: ConfigValidator, value: unknown, root: string): ToolPaths {
  const tools: ToolPaths = {};
  const keys = ['kustomize', 'kubectl', 'helm', 'jsonnet'] as const;
  if (value === undefined || !v.mapping(value, ['tools'], [...keys])) return tools;
  for (const key of keys) {
    const tool = v.string(value[key], ['tools', key]);
    if (tool) tools[key] = path.isAbsolute(tool) || !tool.includes('/') ? tool : path.resolve(root, tool);
  }
  return tools;
}

function readKubeConfigs(v: ConfigValidator, value: unknown): Record<string, string> {
  const mapped: Record<string, string> = {};
  if (value === undefined || value === null || !v.mapping(value, ['kubeConfigs'], Object.keys(value as object))) return mapped;
  for (const [secret, context] of Object.entries(value)) {
    if (!/^[^/\s]+\/[^/\s]+$/.test(secret)) {
      v.report(['kubeConfigs', secret], 'expected a key <namespace>/<secret name>');
      continue;
    }
    const name = v.string(context, ['kubeConfigs', secret], true);
    if (name) mapped[secret] = name;
  }
  return mapped;
}

const RULE_SETTINGS: RuleSetting[] = ['off', 'error', 'warning', 'note'];

/** `doctor: { rules: { <rule id>: off | error | warning | note } }`; an unknown rule id names the known ones. */
function readDoctorRules(v: ConfigValidator, value: unknown): Record<string, RuleSetting> {
  const settings: Record<string, RuleSetting> = {};
  if (value === undefined || value === null || !v.mapping(value, ['doctor'], ['rules'])) return settings;
  const rules = value.rules;
  if (rules === undefined || rules === null || !v.mapping(rules, ['doctor', 'rules'], Object.keys(rules as object))) return settings;
  const known = DOCTOR_RULES.map((rule) => rule.id);
  for (const [id, setting] of Object.entries(rules)) {
    if (!known.includes(id)) {
      v.report(['doctor', 'rules', id], `no doctor rule "${id}" (rules: ${known.join(', ')})`);
    } else if (!RULE_SETTINGS.includes(setting as RuleSetting)) {
      v.report(['doctor', 'rules', id], `expected one of ${RULE_SETTINGS.join(', ')}`);
    } else settings[id] = setting as RuleSetting;
  }
  return settings;
}

/** `sources: { mirrors: { <URL prefix>: <mirror URL prefix> } }`. */
function readMirrors(v: ConfigValidator, value: unknown): SourceMirrors {
  const mirrors: SourceMirrors = {};
  if (value === undefined || value === null || !v.mapping(value, ['sources'], ['mirrors'])) return mirrors;
  const entries = value.mirrors;
  if (entries === undefined || entries === null || !v.mapping(entries, ['sources', 'mirrors'], Object.keys(entries as object))) return mirrors;
  for (const [prefix, target] of Object.entries(entries)) {
    const mirror = v.string(target, ['sources', 'mirrors', prefix], true);
    if (!mirror) continue;
    const problem = mirrorProblem(prefix, mirror);
    if (problem) v.report(['sources', 'mirrors', prefix], problem);
    else mirrors[prefix] = mirror;
  }
  return mirrors;
}

function readDiscovery(v: ConfigValidator, value: unknown): DiscoverySwitches {
  const switches: DiscoverySwitches = { flux: true, argo: true, conventions: true };
  if (value === undefined || !v.mapping(value, ['discovery'], Object.keys(switches))) return switches;
  for (const key of Object.keys(switches) as (keyof DiscoverySwitches)[]) {
    const enabled = v.boolean(value[key], ['discovery', key]);
    if (typeof enabled === 'boolean') switches[key] = enabled;
  }
  return switches;
}

function entries<T>(v: ConfigValidator, value: unknown, key: string, read: (entry: unknown, at: Path) => T | undefined): T[] {
  return v.list(value, [key]).map((entry, index) => read(entry, [key, index])).filter((item): item is T => item !== undefined);
}

/** Parses `.driftline.yaml` text; `file` is used in messages, `root` to resolve tool paths. */
export function parseConfig(text: string, file: string, root: string): { config: DriftlineConfig; problems: DiscoveryProblem[] } {
  const tooDeep = yamlNestingProblem(text);
  if (tooDeep) return { config: emptyConfig(file), problems: [{ file, message: `invalid YAML: ${tooDeep}` }] };
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const v = new ConfigValidator(file, document, lines);
  const empty = emptyConfig(file);
  if (document.errors.length > 0) {
    const [error] = document.errors;
    const { line, text: detail } = yamlErrorText(error, lines);
    return { config: empty, problems: [{ file, line, message: `invalid YAML: ${detail}` }] };
  }
  let data: unknown;
  try {
    data = document.toJS();
  } catch (error) {
    // Aliases are resolved here: one without its anchor, or too many (an alias bomb), is the file's fault.
    return { config: empty, problems: [{ file, message: `invalid YAML: ${(error as Error).message}` }] };
  }
  // An alias inside its own anchor makes a cycle (helm values given to helm, say, could not be written out).
  const shared = mayShareValues(text) ? plainDataProblem(data) : undefined;
  if (shared) return { config: empty, problems: [{ file, message: `invalid YAML: ${shared}` }] };
  if (data === null || data === undefined) return { config: empty, problems: [] };
  if (!isMap(document.contents) || isSeq(document.contents)) {
    v.report([], 'expected a mapping with environments, apps, ignore, tools, repoURLs, discovery, kubeConfigs, sources, doctor');
    return { config: empty, problems: v.problems };
  }
  const top = data as Json;
  v.mapping(top, [], ['environments', 'apps', 'ignore', 'tools', 'repoURLs', 'discovery', 'kubeConfigs', 'sources', 'doctor']);
  const config: DriftlineConfig = {
    file,
    environments: entries(v, top.environments, 'environments', (entry, at) => readEnvironment(v, entry, at)),
    apps: entries(v, top.apps, 'apps', (entry, at) => readApp(v, entry, at)),
    ignoreRules: entries(v, top.ignore, 'ignore', (entry, at) => readIgnoreRule(v, entry, at)),
    tools: readTools(v, top.tools, root),
    repoURLs: v.strings(top.repoURLs, ['repoURLs']) ?? [],
    discovery: readDiscovery(v, top.discovery),
    kubeConfigs: readKubeConfigs(v, top.kubeConfigs),
    mirrors: readMirrors(v, top.sources),
    doctorRules: readDoctorRules(v, top.doctor),
  };
  const seen = new Set<string>();
  config.environments.forEach((environment, index) => {
    if (seen.has(environment.name)) v.report(['environments', index, 'name'], `environment "${environment.name}" is declared twice`);
    seen.add(environment.name);
  });
  return { config, problems: v.problems };
}

function emptyConfig(file: string): DriftlineConfig {
  return { file, environments: [], apps: [], ignoreRules: [], tools: {}, repoURLs: [], discovery: { flux: true, argo: true, conventions: true } };
}

/**
 * Reads `<root>/.driftline.yaml`; undefined only when the repo has none. A file that is there but cannot be
 * read (permissions, a directory, a symbolic link to nothing) is a problem naming it and the cause, like
 * invalid YAML: the configuration is then empty, never silently taken for absent.
 */
export async function loadConfig(root: string): Promise<{ config: DriftlineConfig; problems: DiscoveryProblem[] } | undefined> {
  const file = path.join(root, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const cause = await whyUnreadable(file, error as NodeJS.ErrnoException);
    if (!cause) return undefined;
    return { config: emptyConfig(file), problems: [{ file, message: `cannot read ${CONFIG_FILE_NAME}: ${cause}; its settings are not applied` }] };
  }
  return parseConfig(text, file, root);
}

/** The cause of a failed read in the user's words; undefined when there is simply no file. */
async function whyUnreadable(file: string, error: NodeJS.ErrnoException): Promise<string | undefined> {
  if (error.code === 'ENOENT') {
    const link = await fs.readlink(file).catch(() => undefined);
    return link === undefined ? undefined : `it is a symbolic link to ${link}, which does not exist`;
  }
  if (error.code === 'EISDIR') return 'it is a directory, not a file';
  if (error.code === 'EACCES' || error.code === 'EPERM') return 'permission denied';
  return error.message;
}
