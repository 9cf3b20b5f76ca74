// Flux post-build variable substitution: after the build, kustomize-controller replaces `${var}` in each
// object's YAML (so `replicas: ${count}` becomes a number) with `postBuild.substitute` values. Without it every
// substituted field would show as drift.
import { parse, stringify } from 'yaml';
import type { DesiredObject, PostBuildSubstitution } from '../model';
import { isKubeObject } from './parseManifests';

const DISABLE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';
/** `${name}`, `${name:=default}`, `${name:-default}`, `${name=default}`; `$${...}` is an escaped literal. */
const VARIABLE = /\$(\$?)\{([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[=-])([^}]*))?\}/g;

export function substituteText(text: string, substitution: PostBuildSubstitution): string {
  return text.replace(VARIABLE, (whole, escaped: string, name: string, operator: string | undefined, fallback: string | undefined) => {
    if (escaped) return whole.slice(1);
    const value = substitution.variables[name];
    if (value !== undefined && !(operator?.startsWith(':') && value === '')) return value;
    if (operator !== undefined) return fallback ?? '';
    // Values from cluster ConfigMaps/Secrets are unknown here: leave the placeholder rather than guess.
    return substitution.fromCluster ? whole : '';
  });
}

/** Variables written as plain `${name}` (no default) that `variables` does not set, in order of appearance. */
export function unresolvedVariables(text: string, variables: Record<string, string>): string[] {
  const names = new Set<string>();
  for (const [, escaped, name, operator] of text.matchAll(VARIABLE)) {
    if (!escaped && operator === undefined && variables[name] === undefined) names.add(name);
  }
  return [...names];
}

export function substituteVariables(objects: DesiredObject[], substitution: PostBuildSubstitution | undefined): DesiredObject[] {
  if (!substitution) return objects;
  return objects.map((desired) => {
    if (desired.object.metadata.annotations?.[DISABLE_ANNOTATION] === 'disabled') return desired;
    const text = stringify(desired.object);
    const substituted = substituteText(text, substitution);
    if (substituted === text) return desired;
    const object = parse(substituted) as unknown;
    if (!isKubeObject(object)) throw new Error(`${desired.source.file}: post-build substitution left ${desired.object.kind}/${desired.object.metadata.name} without apiVersion, kind or name`);
    return { ...desired, object };
  });
}
