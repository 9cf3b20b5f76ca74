// Argo CD ApplicationSet -> the Applications its generators make, as the ApplicationSet controller would:
// generators list, clusters, git (directories and files, this repository only), matrix and merge; the template
// rendered with fasttemplate (`{{path.basename}}`) or, with `goTemplate: true`, Go templates with sprig
// (goTemplate.ts), `goTemplateOptions`, a generator's own `template` and post-`selector`, and `templatePatch`. A generator that
// cannot be expanded here (a remote repository, SCM provider, pull request, cluster decision resource, plugin)
// is returned as a reason naming it, never dropped.
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../model';
import { renderFastTemplate, renderGoTemplate, TemplateError, goString, type GoTemplateOptions } from './goTemplate';
import { gitFilesOf, globMatcher, type RepoFiles } from './applicationSetGit';
import type { RepoIdentity } from './repoIdentity';

/** What the clusters generator lists: the `.driftline.yaml` environments (name; server when known). */
export interface ArgoCluster {
  name: string;
  server: string;
}

export interface ExpandContext {
  root: string;
  identity: RepoIdentity;
  clusters: ArgoCluster[];
  /** The git generator's listings of this expansion, by revision. */
  listings?: Map<string, Promise<RepoFiles>>;
}

export interface ApplicationSetExpansion {
  applications: KubeObject[];
  /** One reason per generator that could not be expanded (or a template that failed), naming it. */
  unexpanded: string[];
}

type Params = Record<string, unknown>;
type Generator = Record<string, unknown>;

interface Mode {
  goTemplate: boolean;
  options: GoTemplateOptions;
}

/** A generator that discovery cannot expand: the message names its kind and why. */
class Unexpandable extends Error {}

const UNEXPANDABLE: Record<string, string> = {
  scmProvider: 'lists repositories from an SCM provider\'s API',
  pullRequest: 'lists open pull requests from a provider\'s API',
  clusterDecisionResource: 'reads a duck-typed resource in the cluster running Argo CD',
  plugin: 'asks a generator plugin service over HTTP',
};

const GENERATOR_KINDS = ['list', 'clusters', 'git', 'matrix', 'merge', ...Object.keys(UNEXPANDABLE)];

function kindOf(generator: Generator): string {
  return GENERATOR_KINDS.find((kind) => generator[kind] !== undefined) ?? Object.keys(generator).filter((key) => key !== 'selector' && key !== 'values' && key !== 'template')[0] ?? '(empty)';
}

export function sanitizeName(name: string): string {
  return name.toLowerCase().replace(/[^-a-z0-9.]/g, '-').slice(0, 253).replace(/^[-.]+|[-.]+$/g, '');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Maps every string (and map key) of a value through `render`. */
function mapStrings(value: unknown, render: (text: string) => string): unknown {
  if (typeof value === 'string') return render(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, render));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [render(key), mapStrings(item, render)]));
  return value;
}

function renderer(mode: Mode, params: Params): (text: string) => string {
  if (mode.goTemplate) return (text) => renderGoTemplate(text, params, mode.options);
  const flat = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, typeof value === 'string' ? value : goString(value)]));
  return (text) => renderFastTemplate(text, flat);
}

/** Deep merge as a strategic merge / JSON merge patch does for maps; lists and scalars are replaced. */
export function mergeDeep(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch === undefined ? base : patch;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = mergeDeep(base[key], value);
  }
  return merged;
}

/** `github.com/jeremywohl/flatten` in dot style, as the git files generator flattens a file for fasttemplate. */
function flatten(value: unknown, prefix = '', into: Record<string, string> = {}): Record<string, string> {
  if (isObject(value) || Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) flatten(item, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into[prefix] = goString(value);
  }
  return into;
}

/** A generator's `values:` rendered with its parameters: `values.<key>` (fasttemplate) or `.values.<key>`. */
function withValues(generator: Generator, params: Params[], mode: Mode): Params[] {
  const values = generator.values;
  if (!isObject(values)) return params;
  return params.map((set) => {
    const render = renderer(mode, set);
    const rendered = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, render(String(value))]));
    if (mode.goTemplate) return { ...set, values: { ...(isObject(set.values) ? set.values : {}), ...rendered } };
    return { ...set, ...Object.fromEntries(Object.entries(rendered).map(([key, value]) => [`values.${key}`, value])) };
  });
}

function listParams(spec: Record<string, unknown>, mode: Mode): Params[] {
  let elements = Array.isArray(spec.elements) ? spec.elements : [];
  if (typeof spec.elementsYaml === 'string') {
    const parsed = parseYaml(spec.elementsYaml) as unknown;
    if (!Array.isArray(parsed)) throw new Unexpandable(`list generator: elementsYaml is not a list: ${spec.elementsYaml}`);
    elements = [...elements, ...parsed];
  }
  return elements.map((element) => {
    if (!isObject(element)) throw new Unexpandable(`list generator: an element is not a mapping: ${JSON.stringify(element)}`);
    if (mode.goTemplate) return { ...element };
    const params: Params = {};
    for (const [key, value] of Object.entries(element)) {
      if (key === 'values' && isObject(value)) {
        for (const [name, item] of Object.entries(value)) params[`values.${name}`] = goString(item);
      } else {
        params[key] = typeof value === 'string' ? value : isObject(value) || Array.isArray(value) ? JSON.stringify(value) : goString(value);
      }
    }
    return params;
  });
}

function clusterParams(spec: Record<string, unknown>, context: ExpandContext, mode: Mode): Params[] {
  const selector = isObject(spec.selector) ? spec.selector : {};
  const selects = (isObject(selector.matchLabels) && Object.keys(selector.matchLabels).length > 0) ||
    (Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0);
  if (selects) {
    throw new Unexpandable('clusters generator selects clusters by label, and the clusters here (the .driftline.yaml environments) have no labels');
  }
  return context.clusters.map((cluster) => (mode.goTemplate
    ? { name: cluster.name, nameNormalized: sanitizeName(cluster.name), server: cluster.server, project: '', metadata: { labels: {}, annotations: {} } }
    : { name: cluster.name, nameNormalized: sanitizeName(cluster.name), server: cluster.server, project: '' }));
}

function pathParams(directory: string, mode: Mode, prefix: string, file?: string): Params {
  const segments = directory === '' ? [] : directory.split('/');
  const basename = segments[segments.length - 1] ?? '.';
  const shown = directory === '' ? '.' : directory;
  if (mode.goTemplate) {
    const value: Params = { path: shown, basename, basenameNormalized: sanitizeName(basename), segments };
    if (file !== undefined) Object.assign(value, { filename: file, filenameNormalized: sanitizeName(file) });
    return prefix ? { [prefix]: { path: value } } : { path: value };
  }
  const key = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const params: Params = { [key('path')]: shown, [key('path.basename')]: basename, [key('path.basenameNormalized')]: sanitizeName(basename) };
  if (file !== undefined) Object.assign(params, { [key('path.filename')]: file, [key('path.filenameNormalized')]: sanitizeName(file) });
  segments.forEach((segment, index) => { params[key(`path[${index}]`)] = segment; });
  return params;
}

async function gitParams(spec: Record<string, unknown>, context: ExpandContext, mode: Mode): Promise<Params[]> {
  const repoURL = typeof spec.repoURL === 'string' ? spec.repoURL : undefined;
  if (!context.identity.isThisRepo(repoURL)) {
    throw new Unexpandable(`git generator reads ${repoURL ?? '(no repoURL)'}, which is not this repository (add it to repoURLs in .driftline.yaml if it is this one)`);
  }
  const revision = typeof spec.revision === 'string' ? spec.revision : 'HEAD';
  let files: RepoFiles;
  try {
    files = await gitFilesOf(context.root, revision, context.listings);
  } catch (error) {
    throw new Unexpandable(`git generator: revision ${revision}: ${(error as Error).message}`);
  }
  const prefix = typeof spec.pathParamPrefix === 'string' ? spec.pathParamPrefix : '';
  if (Array.isArray(spec.directories)) {
    const patterns = spec.directories.filter(isObject).map((entry) => ({ match: globMatcher(String(entry.path ?? ''), false), exclude: entry.exclude === true }));
    const matched = files.directories().filter((directory) => {
      const hits = patterns.filter((pattern) => pattern.match(directory));
      return hits.some((hit) => !hit.exclude) && !hits.some((hit) => hit.exclude);
    });
    return matched.map((directory) => pathParams(directory, mode, prefix));
  }
  if (Array.isArray(spec.files)) {
    const includes = spec.files.filter(isObject).filter((entry) => entry.exclude !== true).map((entry) => globMatcher(String(entry.path ?? ''), true));
    const excludes = spec.files.filter(isObject).filter((entry) => entry.exclude === true).map((entry) => globMatcher(String(entry.path ?? ''), true));
    const params: Params[] = [];
    for (const file of files.files().filter((candidate) => includes.some((match) => match(candidate)) && !excludes.some((match) => match(candidate)))) {
      let parsed: unknown;
      try {
        parsed = parseYaml(await files.read(file));
      } catch (error) {
        throw new Unexpandable(`git files generator: ${file} is not JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
      }
      const slash = file.lastIndexOf('/');
      const directory = slash < 0 ? '' : file.slice(0, slash);
      for (const item of Array.isArray(parsed) ? parsed : [parsed ?? {}]) {
        if (!isObject(item)) throw new Unexpandable(`git files generator: ${file} holds no mapping`);
        params.push({ ...(mode.goTemplate ? item : flatten(item)), ...pathParams(directory, mode, prefix, file.slice(slash + 1)) });
      }
    }
    return params;
  }
  throw new Unexpandable('git generator has neither directories nor files');
}

function lookup(params: Params, key: string, mode: Mode): unknown {
  if (!mode.goTemplate) return params[key];
  return key.split('.').reduce<unknown>((value, part) => (isObject(value) ? value[part] : undefined), params);
}

function combine(a: Params, b: Params, mode: Mode): Params {
  if (mode.goTemplate) return mergeDeep(a, b) as Params;
  for (const [key, value] of Object.entries(b)) {
    if (key in a && a[key] !== value) throw new Unexpandable(`matrix generator: both child generators give parameter ${key} (${goString(a[key])} and ${goString(value)})`);
  }
  return { ...a, ...b };
}

async function generate(generator: Generator, context: ExpandContext, mode: Mode, depth: number): Promise<Params[]> {
  const kind = kindOf(generator);
  const spec = isObject(generator[kind]) ? generator[kind] as Record<string, unknown> : {};
  if (UNEXPANDABLE[kind]) throw new Unexpandable(`${kind} generator ${UNEXPANDABLE[kind]}: not expanded`);
  let params: Params[];
  switch (kind) {
    case 'list': params = listParams(spec, mode); break;
    case 'clusters': params = clusterParams(spec, context, mode); break;
    case 'git': params = await gitParams(spec, context, mode); break;
    case 'matrix': case 'merge': {
      const children = Array.isArray(spec.generators) ? spec.generators.filter(isObject) : [];
      if (depth >= 2) throw new Unexpandable(`${kind} generator nested more than one level deep`);
      if (kind === 'matrix') {
        if (children.length !== 2) throw new Unexpandable(`matrix generator needs exactly two child generators (has ${children.length})`);
        params = [];
        for (const first of await generate(children[0], context, mode, depth + 1)) {
          // The second generator may use the first's parameters (`path: '{{path}}/config.json'`).
          const second = mapStrings(children[1], renderer(mode, first)) as Generator;
          for (const set of await generate(second, context, mode, depth + 1)) params.push(combine(first, set, mode));
        }
      } else {
        const keys = Array.isArray(spec.mergeKeys) ? spec.mergeKeys.map(String) : [];
        if (keys.length === 0) throw new Unexpandable('merge generator has no mergeKeys');
        if (children.length < 2) throw new Unexpandable(`merge generator needs at least two child generators (has ${children.length})`);
        const keyOf = (set: Params) => JSON.stringify(keys.map((key) => goString(lookup(set, key, mode))));
        params = await generate(children[0], context, mode, depth + 1);
        for (const child of children.slice(1)) {
          const overrides = new Map<string, Params>();
          for (const set of await generate(child, context, mode, depth + 1)) if (!overrides.has(keyOf(set))) overrides.set(keyOf(set), set);
          params = params.map((set) => {
            const override = overrides.get(keyOf(set));
            return override ? (mode.goTemplate ? mergeDeep(set, override) as Params : { ...set, ...override }) : set;
          });
        }
      }
      break;
    }
    default:
      throw new Unexpandable(`generator ${kind} is not an ApplicationSet generator Driftline knows`);
  }
  return selected(generator, withValues(generator, params, mode));
}

/**
 * A generator's post-selector (`selector:` beside the generator kind): only the parameter sets whose
 * parameters (flattened `a.b` with goTemplate) match its `matchLabels` and `matchExpressions`.
 */
function selected(generator: Generator, params: Params[]): Params[] {
  const selector = generator.selector;
  if (!isObject(selector)) return params;
  const labels = isObject(selector.matchLabels) ? Object.entries(selector.matchLabels).map(([key, value]) => [key, goString(value)]) : [];
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isObject) : [];
  return params.filter((set) => {
    const flat = Object.fromEntries(Object.entries(set).flatMap(([key, value]) =>
      (isObject(value) || Array.isArray(value) ? Object.entries(flatten(value, key)) : [[key, goString(value)]])));
    if (!labels.every(([key, value]) => flat[key] === value)) return false;
    return expressions.every((expression) => {
      const key = String(expression.key);
      const values = Array.isArray(expression.values) ? expression.values.map(goString) : [];
      switch (expression.operator) {
        case 'In': return key in flat && values.includes(flat[key]);
        case 'NotIn': return !(key in flat) || !values.includes(flat[key]);
        case 'Exists': return key in flat;
        case 'DoesNotExist': return !(key in flat);
        default: throw new Unexpandable(`selector operator ${String(expression.operator)} is not In, NotIn, Exists or DoesNotExist`);
      }
    });
  });
}

function renderApplication(appset: KubeObject, template: Record<string, unknown>, params: Params, mode: Mode): KubeObject {
  const render = renderer(mode, params);
  let rendered = mapStrings(template, render) as Record<string, unknown>;
  const patch = (appset.spec as Record<string, unknown>).templatePatch;
  if (typeof patch === 'string' && patch.trim()) {
    const patchObject = parseYaml(render(patch)) as unknown;
    if (patchObject !== null && patchObject !== undefined) {
      if (!isObject(patchObject)) throw new TemplateError(`templatePatch does not render to a mapping: ${render(patch).slice(0, 80)}`);
      rendered = mergeDeep(rendered, patchObject) as Record<string, unknown>;
    }
  }
  const metadata = isObject(rendered.metadata) ? rendered.metadata : {};
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { ...metadata, name: String(metadata.name ?? ''), namespace: appset.metadata.namespace ?? 'argocd' },
    spec: rendered.spec ?? {},
  };
}

export async function expandApplicationSet(appset: KubeObject, context: ExpandContext): Promise<ApplicationSetExpansion> {
  context = { ...context, listings: context.listings ?? new Map() };
  const spec = (appset.spec ?? {}) as Record<string, unknown>;
  const options = Array.isArray(spec.goTemplateOptions) ? spec.goTemplateOptions.map(String) : [];
  const mode: Mode = { goTemplate: spec.goTemplate === true, options: { missingKeyError: options.includes('missingkey=error') } };
  const template = isObject(spec.template) ? spec.template : {};
  const generators = Array.isArray(spec.generators) ? spec.generators.filter(isObject) : [];
  const result: ApplicationSetExpansion = { applications: [], unexpanded: [] };
  if (generators.length === 0) result.unexpanded.push('the ApplicationSet has no generators');
  const names = new Set<string>();
  for (const [index, generator] of generators.entries()) {
    const kind = kindOf(generator);
    const at = `generators[${index}] (${kind})`;
    let params: Params[];
    try {
      params = await generate(generator, context, mode, 0);
    } catch (error) {
      if (!(error instanceof Unexpandable || error instanceof TemplateError)) throw error;
      result.unexpanded.push(`${at}: ${error.message}`);
      continue;
    }
    const own = isObject(generator[kind]) && isObject((generator[kind] as Record<string, unknown>).template) ? (generator[kind] as Record<string, unknown>).template : {};
    const merged = mergeDeep(template, own) as Record<string, unknown>;
    try {
      const applications = params.map((set) => renderApplication(appset, merged, set, mode));
      for (const application of applications) {
        if (!application.metadata.name) throw new TemplateError('the template gives an Application without a name');
        if (names.has(application.metadata.name)) throw new TemplateError(`two Applications are named ${application.metadata.name}`);
        names.add(application.metadata.name);
      }
      result.applications.push(...applications);
    } catch (error) {
      if (!(error instanceof TemplateError || error instanceof Error)) throw error;
      result.unexpanded.push(`${at}: template: ${error.message}`);
    }
  }
  return result;
}
