// A HelmRelease's values as helm-controller computes them (internal/chartutil ChartValuesFromReferences): each
// valuesFrom ConfigMap/Secret in order, its `valuesKey` (default values.yaml) parsed as YAML and deep-merged at
// the root, or, with `targetPath`, set there with helm's `--set` syntax; then `spec.values` merged over all. An
// optional source that does not exist, or lacks the key, is skipped; anything else fails the release, and so
// the app is Unknown naming the HelmRelease, the source and its file. Sources the builds of the cluster emit are
// taken from there (SOPS ones decrypted in memory); the others are read live. Messages never hold a value.
import { parse } from 'yaml';
import { isAbortError } from '../abort';
import { messageOf } from '../errors';
import type { HelmReleaseSettings, HelmValuesReference, KubeObject } from '../model';
import { decryptObjects } from './decryptSops';
import type { DecryptManifest } from './options';
import type { ReadLiveSource } from './postBuild';
import { setPathValue } from './helmSetValue';

export type Values = Record<string, unknown>;

export interface ResolvedValues {
  values: Values;
  /** Strings that came from a Secret: where the rendered objects hold them, they are masked. */
  secretStrings: string[];
}

/** Values that cannot be computed: helm-controller would fail the release with the same reason. */
export class HelmValuesError extends Error {
  override readonly name = 'HelmValuesError';
}

const isMap = (value: unknown): value is Values => !!value && typeof value === 'object' && !Array.isArray(value);

/** fluxcd/pkg transform.MergeMaps: `over` wins; maps on both sides merge key by key, anything else is replaced. */
export function mergeMaps(base: Values, over: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const existing = merged[key];
    merged[key] = isMap(value) && isMap(existing) ? mergeMaps(existing, value) : value;
  }
  return merged;
}

/** A deep copy: setPathValue changes maps in place, never those of the sources. */
const copy = (values: Values): Values => structuredClone(values);

export function describeReference(reference: HelmValuesReference): string {
  return `valuesFrom ${reference.kind} ${reference.namespace}/${reference.name}${reference.built ? ` (${reference.built.file})` : ''}`;
}

/** The key's text, undefined when the object has no such key. Objects not applied yet count their stringData too. */
function keyText(object: KubeObject, key: string, fromBuild: boolean): string | undefined {
  const record = object as { data?: Record<string, unknown>; stringData?: Record<string, unknown> };
  if (object.kind === 'Secret') {
    if (fromBuild && record.stringData && Object.hasOwn(record.stringData, key)) return String(record.stringData[key]);
    if (record.data && Object.hasOwn(record.data, key)) return Buffer.from(String(record.data[key]), 'base64').toString('utf8');
    return undefined;
  }
  return record.data && Object.hasOwn(record.data, key) ? String(record.data[key]) : undefined;
}

async function readReference(reference: HelmValuesReference, decrypt: DecryptManifest | undefined, readLive: ReadLiveSource | undefined): Promise<KubeObject | undefined> {
  const where = describeReference(reference);
  if (reference.built) {
    const [decrypted] = await decryptObjects([{ object: reference.built.object, source: { file: reference.built.file } }], decrypt);
    if (decrypted.unknownReason) throw new HelmValuesError(`${where}: ${decrypted.unknownReason}`);
    return decrypted.object;
  }
  if (!readLive) throw new HelmValuesError(`${where} is not in the build output: helm-controller reads it from the cluster, which this command does not read`);
  try {
    return await readLive(reference);
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new HelmValuesError(`${where} cannot be read from the cluster: ${messageOf(error)}`);
  }
}

/** Strings of a values tree (for masking what came from a Secret). */
function strings(value: unknown, into: string[]): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, into);
  else if (isMap(value)) for (const item of Object.values(value)) strings(item, into);
  return into;
}

/** The release's values: valuesFrom in order, then `inline` (spec.values) over them. Throws HelmValuesError. */
export async function resolveHelmValues(
  release: HelmReleaseSettings, inline: Values | undefined, decrypt: DecryptManifest | undefined, readLive: ReadLiveSource | undefined,
): Promise<ResolvedValues> {
  let result: Values = {};
  const secretStrings: string[] = [];
  // helm-controller reads each object once, however many entries name it.
  const objects = new Map<string, Promise<KubeObject | undefined>>();
  for (const reference of release.valuesFrom) {
    const id = `${reference.kind}/${reference.name}`;
    if (!objects.has(id)) objects.set(id, readReference(reference, decrypt, readLive));
    const object = await objects.get(id)!;
    const where = describeReference(reference);
    if (!object) {
      if (reference.optional) continue;
      throw new HelmValuesError(`${where} does not exist: helm-controller fails the release until it does (or the reference is marked optional)`);
    }
    const text = keyText(object, reference.valuesKey, !!reference.built);
    if (text === undefined) {
      if (reference.optional) continue;
      throw new HelmValuesError(`${where} has no key ${reference.valuesKey} (valuesKey)`);
    }
    if (reference.targetPath) {
      if (reference.kind === 'Secret') secretStrings.push(text.replace(/^['"]+|['"]+$/g, ''));
      result = copy(result);
      try {
        setPathValue(result, reference.targetPath, text, reference.literal === true);
      } catch (error) {
        throw new HelmValuesError(`${where}: key ${reference.valuesKey} cannot be set at targetPath ${reference.targetPath}: ${messageOf(error)}`);
      }
      continue;
    }
    const values = parseValues(text, `${where}: key ${reference.valuesKey}`);
    if (reference.kind === 'Secret') strings(values, secretStrings);
    result = mergeMaps(result, values);
  }
  return { values: inline ? mergeMaps(result, inline) : result, secretStrings };
}

/** chartutil.ReadValues: a YAML map (empty is none); anything else fails naming `where`, never quoting the text. */
export function parseValues(text: string, where: string): Values {
  let parsed: unknown;
  try {
    parsed = parse(text, { uniqueKeys: false, maxAliasCount: 1000 });
  } catch (error) {
    // The parser's message quotes the text around the error: a Secret's values would show.
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new HelmValuesError(`${where} is not valid YAML${line ? ` (line ${line})` : ''}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isMap(parsed)) throw new HelmValuesError(`${where} is YAML ${Array.isArray(parsed) ? 'list' : typeof parsed}, not a map of values`);
  return parsed;
}
