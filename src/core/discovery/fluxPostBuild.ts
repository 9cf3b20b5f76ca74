// A Flux Kustomization's `postBuild` as discovery sees it: `substitute`, and each `substituteFrom` entry with the
// ConfigMap/Secret a build of the environment emits (render substitutes with those, SOPS-encrypted ones
// decrypted in memory), or none (the comparison reads it live: render/postBuild.ts). Discovery itself expands
// the Flux objects of a build with what it knows offline, to follow child paths like `./deploy/${CLUSTER}`.
import { stringify } from 'yaml';
import { isSopsEncrypted } from '../render/decryptSops';
import { expand, UNKNOWN } from '../render/envsubst';
import { describeSource, sourceValues } from '../render/postBuild';
import { optedOut, substituteKnown } from '../render/substituteVariables';
import type { DesiredObject, KubeObject, PostBuildSubstitution, SubstituteSource } from '../model';
import type { BuiltObject } from './fluxBuild';

interface PostBuildSpec {
  substitute?: Record<string, unknown>;
  substituteFrom?: { kind?: unknown; name?: unknown; optional?: unknown }[];
}

/**
 * The postBuild of a Kustomization in `namespace` (where the controller looks its sources up), with the
 * sources found among `built` (what the builds of the cluster holding it emit); undefined without postBuild.
 */
export function postBuildOf(kustomization: KubeObject, namespace: string, built: BuiltObject[], fallbackFile: string, sourcesEnvironment?: string): PostBuildSubstitution | undefined {
  const postBuild = (kustomization.spec as { postBuild?: PostBuildSpec } | undefined)?.postBuild;
  if (!postBuild || typeof postBuild !== 'object') return undefined;
  const from: SubstituteSource[] = [];
  for (const entry of Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : []) {
    // The CRD admits only these two kinds; the controller skips any other.
    if (entry?.kind !== 'ConfigMap' && entry?.kind !== 'Secret') continue;
    const source: SubstituteSource = { kind: entry.kind, namespace, name: String(entry.name ?? ''), optional: entry.optional === true };
    const found = built.find(({ object }) => object.kind === source.kind && object.apiVersion === 'v1' &&
      object.metadata.name === source.name && (object.metadata.namespace ?? namespace) === namespace);
    from.push(found ? { ...source, built: { object: found.object, file: found.origin ?? fallbackFile } } : source);
  }
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(postBuild.substitute ?? {})) variables[name] = String(value).replace(/\n/g, '');
  return { variables, from, ...(sourcesEnvironment ? { sourcesEnvironment } : {}) };
}

/**
 * The Flux objects of a build expanded with the variables known without the cluster or a key (`substitute`, and
 * plain sources from the build output); an expression using another variable stays as written, and, when the
 * sources it may come from are all read live, the object says so (unknownReason): its app is not what the
 * controller applies.
 */
export function substituteForDiscovery(objects: DesiredObject[], substitution: PostBuildSubstitution): DesiredObject[] {
  const known: Record<string, string> = {};
  const unknownSources: SubstituteSource[] = [];
  for (const source of substitution.from) {
    if (source.built && !isSopsEncrypted(source.built.object)) Object.assign(known, sourceValues(source.built.object, false));
    else unknownSources.push(source);
  }
  Object.assign(known, substitution.variables);
  const substituted = substituteKnown(objects, known, unknownSources.length === 0);
  // A SOPS-encrypted source may hold any variable, and discovery has no key: only the sources read live are certain.
  if (unknownSources.length === 0 || unknownSources.some((source) => source.built)) return substituted;
  const from = unknownSources.map(describeSource).join(', ');
  return substituted.map((desired, index) => {
    const left = variablesLeft(objects[index].object, known);
    if (left.length === 0) return desired;
    return { ...desired, unknownReason: `uses ${left.map((name) => `\${${name}}`).join(', ')}, which the postBuild of the Kustomization applying it reads from the cluster (substituteFrom ${from}): discovery cannot substitute it` };
  });
}

/** Variables an object uses that `known` does not hold (none when it opts out or does not parse). */
function variablesLeft(object: KubeObject, known: Record<string, string>): string[] {
  if (optedOut(object)) return [];
  const left = new Set<string>();
  try {
    expand(stringify(object, { lineWidth: 0 }), (name) => {
      if (Object.hasOwn(known, name)) return known[name];
      left.add(name);
      return UNKNOWN;
    });
  } catch {
    return [];
  }
  return [...left];
}
