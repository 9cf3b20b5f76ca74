// The input sets of a Flux Operator ResourceSet, combined as the operator combines them: the ResourceSet's own
// `spec.inputs` first, then each ResourceSetInputProvider of `spec.inputsFrom` (by name or label selector, in
// the ResourceSet's namespace, sorted by name), every input set tagged with its `provider`; `inputStrategy`
// Flatten (the default) concatenates them, Permute makes their Cartesian product, each set under its
// provider's normalized name, with an `id` checksum. Only `type: Static` providers are known from Git (their
// `spec.defaultValues`); the others read GitHub, GitLab or registries, so their inputs are not known here.
import type { KubeObject } from '../model';
import { adler32 } from './goTemplate';

export const OPERATOR_GROUP = 'fluxcd.controlplane.io';
const PROVIDER_KIND = 'ResourceSetInputProvider';
/** More permutations than this and the operator stalls the ResourceSet. */
const MAX_PERMUTATIONS = 10000;

export type InputSet = Record<string, unknown>;

export type CombinedInputs = { inputs: InputSet[] } | { unknownReason: string } | { error: string };

/** The key a provider's input sets go under with Permute: `my-rset` -> `my_rset` (spaces and punctuation to `_`, other characters dropped). */
export function normalizeProviderName(name: string): string {
  return [...name.toLowerCase()].map((char) => (/[\s\p{P}]/u.test(char) ? '_' : /[a-z0-9]/.test(char) ? char : ''))
    .join('').split('_').filter((word) => word !== '').join('_');
}

/**
 * What `inputs.id` of a Static provider stands for: the checksum of its UID, which only the cluster knows.
 * Rendered objects that contain it cannot be named here (resourceSet.ts says so).
 */
export function staticProviderIdPlaceholder(provider: KubeObject): string {
  return `uid-checksum-of-${provider.metadata.namespace ?? ''}-${provider.metadata.name}`;
}

interface ProviderRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  selector?: LabelSelector;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

function matchesSelector(object: KubeObject, selector: LabelSelector): boolean {
  const labels = object.metadata.labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key = '', operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    if (operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const providerReference = (object: KubeObject) => ({
  apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace ?? '',
});

/** The ResourceSetInputProviders `inputsFrom` selects among `candidates`, or why they are not known here. */
function selectProviders(refs: ProviderRef[], namespace: string, candidates: KubeObject[]): KubeObject[] | { unknownReason: string } | { error: string } {
  const inNamespace = candidates.filter((object) => object.kind === PROVIDER_KIND && object.apiVersion.startsWith(`${OPERATOR_GROUP}/`) &&
    (object.metadata.namespace ?? namespace) === namespace);
  const selected = new Map<string, KubeObject>();
  for (const ref of refs) {
    if (ref.name) {
      const found = inNamespace.find((object) => object.metadata.name === ref.name);
      if (!found) return { unknownReason: `inputs come from ResourceSetInputProvider ${namespace}/${ref.name}, which no build of this repo applies: not in Git` };
      if (!selected.has(found.metadata.name)) selected.set(found.metadata.name, found);
    } else if (ref.selector) {
      const found = inNamespace.filter((object) => matchesSelector(object, ref.selector!));
      if (found.length === 0) {
        return { unknownReason: `inputs come from the ResourceSetInputProviders of ${namespace} matching selector ${JSON.stringify(ref.selector)}, none of which a build of this repo applies: not in Git` };
      }
      for (const object of found) if (!selected.has(object.metadata.name)) selected.set(object.metadata.name, object);
    } else {
      return { error: 'an inputsFrom entry has neither name nor selector' };
    }
  }
  const providers = [...selected.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const provider of providers) {
    const type = (provider.spec as { type?: unknown } | undefined)?.type;
    if (type !== 'Static') {
      return { unknownReason: `inputs come from ResourceSetInputProvider ${namespace}/${provider.metadata.name} (${String(type ?? 'no type')}): not in Git` };
    }
  }
  return providers;
}

function providerInputs(provider: KubeObject): InputSet[] {
  const defaults = (provider.spec as { defaultValues?: InputSet } | undefined)?.defaultValues ?? {};
  return [{ ...defaults, id: staticProviderIdPlaceholder(provider), provider: providerReference(provider) }];
}

function permute(sources: { name: string; inputs: InputSet[] }[], includeEmpty: boolean): InputSet[] | { error: string } {
  const used = sources.filter((source) => includeEmpty || source.inputs.length > 0);
  if (used.length === 0) return [];
  const total = used.reduce((product, source) => product * source.inputs.length, 1);
  if (total > MAX_PERMUTATIONS) return { error: `inputStrategy Permute makes ${total} input sets, more than the operator's maximum of ${MAX_PERMUTATIONS}` };
  let sets: { set: InputSet; id: string[] }[] = [{ set: {}, id: [] }];
  for (const source of used) {
    const key = normalizeProviderName(source.name);
    if (key === '') return { error: `the provider name "${source.name}" normalizes to an empty key` };
    sets = sets.flatMap(({ set, id }) => source.inputs.map((input, index) => ({ set: { ...set, [key]: input }, id: [...id, `${key}=${index}`] })));
  }
  return sets.map(({ set, id }) => ({ ...set, id: adler32(id.join('/')) }));
}

/** The input sets `resourceSet` is rendered with; `candidates` are the objects its cluster's builds apply. */
export function combineInputs(resourceSet: KubeObject, namespace: string, candidates: KubeObject[]): CombinedInputs {
  const spec = (resourceSet.spec ?? {}) as { inputs?: unknown; inputsFrom?: ProviderRef[]; inputStrategy?: { name?: string; includeEmptyProviders?: boolean } };
  if (spec.inputs !== undefined && !Array.isArray(spec.inputs)) return { error: 'spec.inputs is not a list of input maps' };
  const own = ((spec.inputs ?? []) as InputSet[]).map((input) => ({ ...input, provider: providerReference({ ...resourceSet, metadata: { ...resourceSet.metadata, namespace } }) }));
  const providers = selectProviders(Array.isArray(spec.inputsFrom) ? spec.inputsFrom : [], namespace, candidates);
  if (!Array.isArray(providers)) return providers;
  const sources = [{ name: resourceSet.metadata.name, inputs: own }, ...providers.map((provider) => ({ name: provider.metadata.name, inputs: providerInputs(provider) }))];
  const strategy = spec.inputStrategy?.name ?? 'Flatten';
  if (strategy === 'Flatten') return { inputs: sources.flatMap((source) => source.inputs) };
  if (strategy !== 'Permute') return { error: `unknown input strategy: '${strategy}'` };
  const permuted = permute(sources, spec.inputStrategy?.includeEmptyProviders === true);
  return Array.isArray(permuted) ? { inputs: permuted } : permuted;
}
