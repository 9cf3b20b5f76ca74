// Flux Operator ResourceSets, expanded as the operator expands them: every template of `spec.resources` (and
// the multi-document `spec.resourcesTemplate`, or each of `spec.steps`) rendered once per input set with Go
// templates delimited by `<<` `>>`, `missingkey=error`, slim-sprig and the operator's `inputs`, `slugify` and
// `toYaml`; objects annotated `fluxcd.controlplane.io/reconcile: disabled` dropped, duplicates (group, kind,
// namespace, name) kept once, `spec.commonMetadata` set on all. The generated Kustomizations and HelmReleases
// are then apps of the Kustomization that applies the ResourceSet, like its other children.
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../model';
import { renderGoTemplate, type TemplateFunction } from './goTemplate';
import { combineInputs, OPERATOR_GROUP, staticProviderIdPlaceholder, type InputSet } from './resourceSetInputs';

export type ResourceSetExpansion = { objects: KubeObject[] } | { unknownReason: string } | { error: string };

const RECONCILE_ANNOTATION = `${OPERATOR_GROUP}/reconcile`;

export const isResourceSet = (object: KubeObject) => object.kind === 'ResourceSet' && object.apiVersion.startsWith(`${OPERATOR_GROUP}/`);

/** A Flux Operator object the expansion reads: ResourceSets and their input providers. */
export const isResourceSetInput = (object: KubeObject) => object.apiVersion.startsWith(`${OPERATOR_GROUP}/`) &&
  (object.kind === 'ResourceSet' || object.kind === 'ResourceSetInputProvider');

/** gosimple/slug as the operator configures it: lower-case words joined by `-`, at most 63 characters, cut between words. */
function slugify(value: unknown): string {
  const slug = String(value).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (slug.length <= 63) return slug;
  const cut = slug.lastIndexOf('-', 63);
  return cut > 0 ? slug.slice(0, cut) : slug.slice(0, 63);
}

/** The operator's toYaml keeps the trailing newline that sprig's strips. */
const toYaml: TemplateFunction = (value) => (value === undefined || value === null ? 'null\n' : stringify(value, { lineWidth: 0 }));

function render(template: string, inputs: InputSet | undefined): string {
  return renderGoTemplate(template, undefined, {
    delimiters: { left: '<<', right: '>>' }, missingKeyError: true,
    functions: { inputs: () => inputs ?? null, slugify, toYaml, mustToYaml: toYaml },
  });
}

function readObjects(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(document.errors[0].message);
    const value = document.toJS() as KubeObject | null;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string' || typeof value.metadata?.name !== 'string') {
      throw new Error('a rendered document is not a Kubernetes object with apiVersion, kind and metadata.name');
    }
    objects.push(value);
  }
  return objects;
}

const groupOf = (object: KubeObject) => (object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '');
const keyOf = (object: KubeObject) => [groupOf(object), object.kind, object.metadata.namespace ?? '', object.metadata.name].join('/');

interface Templates {
  resources?: unknown[];
  resourcesTemplate?: string;
}

/** One step (or the spec): its templates x the input sets, deduplicated; the JSON templates first. */
function buildTemplates(templates: Templates, inputSets: InputSet[]): KubeObject[] {
  const objects: KubeObject[] = [];
  const keys = new Set<string>();
  const add = (object: KubeObject) => {
    if (object.metadata.annotations?.[RECONCILE_ANNOTATION] === 'disabled') return;
    if (keys.has(keyOf(object))) return;
    keys.add(keyOf(object));
    objects.push(object);
  };
  const runs: (InputSet | undefined)[] = inputSets.length > 0 ? inputSets : [undefined];
  (templates.resources ?? []).forEach((resource, index) => {
    // As the operator does: each template written out as YAML, rendered as text, read back as one object.
    const template = stringify(resource, { lineWidth: 0, indentSeq: false });
    for (const inputs of runs) {
      let rendered: KubeObject[];
      try {
        rendered = readObjects(render(template, inputs));
      } catch (error) {
        throw new Error(`resources[${index}]: ${(error as Error).message}`, { cause: error });
      }
      if (rendered.length !== 1) throw new Error(`resources[${index}] renders ${rendered.length} objects instead of one`);
      add(rendered[0]);
    }
  });
  if (typeof templates.resourcesTemplate === 'string' && templates.resourcesTemplate !== '') {
    for (const inputs of runs) {
      try {
        readObjects(render(templates.resourcesTemplate, inputs)).forEach(add);
      } catch (error) {
        throw new Error(`resourcesTemplate: ${(error as Error).message}`, { cause: error });
      }
    }
  }
  return objects;
}

function setCommonMetadata(objects: KubeObject[], common: { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined): void {
  if (!common) return;
  for (const object of objects) {
    if (common.labels) object.metadata.labels = { ...object.metadata.labels, ...common.labels };
    if (common.annotations) object.metadata.annotations = { ...object.metadata.annotations, ...common.annotations };
  }
}

/**
 * The objects `resourceSet` (in `namespace`) makes; `candidates` are the objects its cluster's builds apply,
 * where its ResourceSetInputProviders are looked up.
 */
export function expandResourceSet(resourceSet: KubeObject, namespace: string, candidates: KubeObject[]): ResourceSetExpansion {
  const spec = (resourceSet.spec ?? {}) as Templates & { steps?: (Templates & { name?: string })[]; commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } };
  const steps = Array.isArray(spec.steps) ? spec.steps : [];
  if (steps.length > 0 && ((spec.resources?.length ?? 0) > 0 || spec.resourcesTemplate)) {
    return { error: 'spec.steps is mutually exclusive with spec.resources and spec.resourcesTemplate' };
  }
  const combined = combineInputs(resourceSet, namespace, candidates);
  if (!('inputs' in combined)) return combined;
  let objects: KubeObject[];
  try {
    if (steps.length === 0) {
      objects = buildTemplates(spec, combined.inputs);
    } else {
      const stepOf = new Map<string, string>();
      objects = [];
      for (const step of steps) {
        let built: KubeObject[];
        try {
          built = buildTemplates(step, combined.inputs);
        } catch (error) {
          throw new Error(`step "${step.name ?? ''}": ${(error as Error).message}`, { cause: error });
        }
        for (const object of built) {
          const previous = stepOf.get(keyOf(object));
          if (previous !== undefined && previous !== step.name) throw new Error(`duplicate resource ${object.kind}/${object.metadata.name} in step "${step.name}", already defined in step "${previous}"`);
          stepOf.set(keyOf(object), step.name ?? '');
          objects.push(object);
        }
      }
    }
  } catch (error) {
    return { error: (error as Error).message };
  }
  setCommonMetadata(objects, spec.commonMetadata);
  const rendered = JSON.stringify(objects);
  for (const provider of candidates.filter((object) => object.kind === 'ResourceSetInputProvider')) {
    if (rendered.includes(staticProviderIdPlaceholder(provider))) {
      return { unknownReason: `its objects use inputs.id of ResourceSetInputProvider ${namespace}/${provider.metadata.name} (Static), the checksum of its UID, which only the cluster knows` };
    }
  }
  return { objects };
}
