// Flux `postBuild` of one app, end to end: its variables merged as kustomize-controller merges them (fluxcd/pkg
// kustomize LoadVariables: each substituteFrom ConfigMap/Secret in list order, a later one overriding an
// earlier one, then `substitute` over all; Secret values base64-decoded; newlines removed from every value;
// an optional source that does not exist skipped, any other failure fails the Kustomization), then applied to
// its objects. Sources a build of the environment emits are taken from there (SOPS-encrypted ones decrypted in
// memory through the render's hook); the others are read live by the caller's `readLive`.
import { isAbortError } from '../abort';
import { messageOf } from '../errors';
import type { DesiredObject, KubeObject, PostBuildSubstitution, SubstituteSource } from '../model';
import { decryptObjects } from './decryptSops';
import type { DecryptManifest } from './options';
import { substituteObjects, type ResolvedVariables, type SubstitutionOutcome } from './substituteVariables';

/** Reads a source from the cluster: undefined when it does not exist; throws (a ClusterError) when it cannot be read. */
export type ReadLiveSource = (source: SubstituteSource) => Promise<KubeObject | undefined>;

export const describeSource = (source: SubstituteSource) => `${source.kind} ${source.namespace}/${source.name}`;

/** Whether some source is not in the build output: the app's objects are substituted only once it is read live. */
export function needsLiveSources(substitution: PostBuildSubstitution | undefined): boolean {
  return !!substitution?.from.some((source) => !source.built);
}

/** The Kustomization's variables, or why the controller would fail (naming the source, never a value). */
export async function resolveVariables(
  substitution: PostBuildSubstitution, decrypt: DecryptManifest | undefined, readLive?: ReadLiveSource,
): Promise<{ variables: ResolvedVariables } | { unknownReason: string }> {
  const values: Record<string, string> = {};
  const origins: Record<string, string> = {};
  const secret = new Set<string>();
  for (const source of substitution.from) {
    const read = await readSource(source, decrypt, readLive);
    if ('unknownReason' in read) return read;
    if (!read.object) continue;
    for (const [name, value] of Object.entries(sourceValues(read.object, !source.built))) {
      values[name] = value;
      origins[name] = describeSource(source);
      if (source.kind === 'Secret') secret.add(name);
      else secret.delete(name);
    }
  }
  for (const [name, value] of Object.entries(substitution.variables)) {
    values[name] = value;
    origins[name] = 'postBuild.substitute';
    secret.delete(name);
  }
  return { variables: { values, origins, secret } };
}

/** The app's objects with its post-build substitution applied, or why it cannot be (the whole app is Unknown then). */
export async function applyPostBuild(
  objects: DesiredObject[], substitution: PostBuildSubstitution, decrypt: DecryptManifest | undefined, readLive?: ReadLiveSource,
): Promise<SubstitutionOutcome> {
  const resolved = await resolveVariables(substitution, decrypt, readLive);
  return 'unknownReason' in resolved ? resolved : substituteObjects(objects, resolved.variables);
}

async function readSource(
  source: SubstituteSource, decrypt: DecryptManifest | undefined, readLive: ReadLiveSource | undefined,
): Promise<{ object?: KubeObject } | { unknownReason: string }> {
  const where = `postBuild.substituteFrom: ${describeSource(source)}`;
  if (source.built) {
    const [decrypted] = await decryptObjects([{ object: source.built.object, source: { file: source.built.file } }], decrypt);
    if (decrypted.unknownReason) return { unknownReason: `${where}: ${decrypted.unknownReason}` };
    return { object: decrypted.object };
  }
  if (!readLive) return { unknownReason: `${where} is not in the build output: it is read from the cluster` };
  let object: KubeObject | undefined;
  try {
    object = await readLive(source);
  } catch (error) {
    if (isAbortError(error)) throw error;
    return { unknownReason: `${where} cannot be read: ${messageOf(error)}` };
  }
  if (object || source.optional) return { object };
  return { unknownReason: `${where} is neither in the build output nor in the cluster: kustomize-controller fails the Kustomization until it exists (or is marked optional)` };
}

/**
 * A ConfigMap's `data` or a Secret's `data` (base64-decoded), each value without newlines, as the controller
 * reads them. An object from a build is not applied yet: its Secret `stringData` counts too, as the server merges it.
 */
export function sourceValues(object: KubeObject, live: boolean): Record<string, string> {
  const record = object as { data?: Record<string, unknown>; stringData?: Record<string, unknown> };
  const values: Record<string, string> = {};
  const isSecret = object.kind === 'Secret';
  for (const [key, value] of Object.entries(record.data ?? {})) {
    values[key] = (isSecret ? Buffer.from(String(value), 'base64').toString('utf8') : String(value)).replace(/\n/g, '');
  }
  if (isSecret && !live) for (const [key, value] of Object.entries(record.stringData ?? {})) values[key] = String(value).replace(/\n/g, '');
  return values;
}
