// Flux post-build variable substitution, as kustomize-controller runs it on each built object (fluxcd/pkg
// kustomize SubstituteVariables): the object's YAML is expanded (envsubst.ts) and parsed again, so
// `replicas: ${count}` becomes a number. Without it every substituted field would show as drift.
import { parse, stringify, YAMLError } from 'yaml';
import type { DesiredObject, KubeObject } from '../model';
import { formatPointer } from '../drift/jsonPointer';
import { expand, mayExpand, SubstitutionSyntaxError, UNKNOWN, type Lookup } from './envsubst';
import { isKubeObject } from './parseManifests';
import { QUIET_YAML } from '../yamlLimits';

export const SUBSTITUTE_OPT_OUT = 'kustomize.toolkit.fluxcd.io/substitute';
/** The controller refuses any other variable name (`[_[:alpha:]][_[:alpha:][:digit:]]*`, ASCII). */
const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** The variables of one Kustomization, merged in the controller's order, with where each came from. */
export interface ResolvedVariables {
  values: Record<string, string>;
  /** `ConfigMap flux-system/vars`, `postBuild.substitute`, ...: the source that set each variable last. */
  origins: Record<string, string>;
  /** Variables whose value came from a Secret: a field they reach is masked like a Secret's values. */
  secret: ReadonlySet<string>;
}

export type SubstitutionOutcome = { objects: DesiredObject[] } | { unknownReason: string };

/** An object opted out with the label or the annotation `kustomize.toolkit.fluxcd.io/substitute: disabled`. */
export function optedOut(object: KubeObject): boolean {
  return object.metadata.labels?.[SUBSTITUTE_OPT_OUT] === 'disabled' || object.metadata.annotations?.[SUBSTITUTE_OPT_OUT] === 'disabled';
}

/** Expands text with the variables (for tests and callers that hold text). */
export function substituteText(text: string, values: Record<string, string>): string {
  return expand(text, (name) => values[name]).text;
}

const serialize = (object: KubeObject) => stringify(object, { lineWidth: 0 });
const describeObject = (desired: DesiredObject) => `${desired.object.kind}/${desired.object.metadata.name} (${desired.source.file})`;

/**
 * Every object substituted as the controller would; its failures (an invalid variable name, a syntax error, a
 * variable without value nor default) make the whole Kustomization fail there, so they are one reason here.
 * With no variable at all the controller substitutes nothing (not even defaults): neither do we.
 */
export function substituteObjects(objects: DesiredObject[], variables: ResolvedVariables): SubstitutionOutcome {
  const names = Object.keys(variables.values);
  if (names.length === 0) return { objects };
  const invalid = names.find((name) => !VARIABLE_NAME.test(name));
  if (invalid !== undefined) {
    return { unknownReason: `postBuild: "${invalid}" (from ${variables.origins[invalid]}) is no valid variable name: kustomize-controller fails the Kustomization (names match [_a-zA-Z][_a-zA-Z0-9]*)` };
  }
  const lookup: Lookup = (name) => (Object.hasOwn(variables.values, name) ? variables.values[name] : undefined);
  const unset = new Map<string, string>();
  const substituted: DesiredObject[] = [];
  for (const desired of objects) {
    if (optedOut(desired.object)) {
      substituted.push(desired);
      continue;
    }
    const text = serialize(desired.object);
    if (!mayExpand(text)) {
      substituted.push(desired);
      continue;
    }
    let expansion;
    try {
      expansion = expand(text, lookup);
    } catch (error) {
      if (!(error instanceof SubstitutionSyntaxError)) throw error;
      return { unknownReason: `postBuild: ${describeObject(desired)}: ${error.message}` };
    }
    for (const name of expansion.unset) if (!unset.has(name)) unset.set(name, describeObject(desired));
    let object: unknown;
    try {
      object = parse(expansion.text, QUIET_YAML);
    } catch (error) {
      if (!(error instanceof YAMLError)) throw error;
      return { unknownReason: `postBuild: ${describeObject(desired)} is no valid YAML once substituted: ${(error as Error).message.split('\n')[0]}` };
    }
    if (!isKubeObject(object)) return { unknownReason: `postBuild: substitution left ${describeObject(desired)} without apiVersion, kind or name` };
    const secretPaths = variables.secret.size > 0 ? pathsUsing(desired.object, variables.secret) : [];
    substituted.push({ ...desired, object, ...(secretPaths.length > 0 ? { secretPaths: [...desired.secretPaths ?? [], ...secretPaths] } : {}) });
  }
  if (unset.size > 0) {
    const [[first, where], ...more] = [...unset];
    const others = more.length > 0 ? ` (and ${more.map(([name]) => `\${${name}}`).join(', ')})` : '';
    return { unknownReason: `postBuild: \${${first}}${others} in ${where} has no value in postBuild.substitute or substituteFrom and no default` };
  }
  return { objects: substituted };
}

/**
 * The Flux objects of a build expanded with what discovery knows offline; an expression using any other
 * variable is kept as written (its value is read live when the app compares). A failure keeps the object as built.
 */
export function substituteKnown(objects: DesiredObject[], known: Record<string, string>, complete: boolean): DesiredObject[] {
  const lookup: Lookup = (name) => (Object.hasOwn(known, name) ? known[name] : complete ? undefined : UNKNOWN);
  if (complete && Object.keys(known).length === 0) return objects;
  return objects.map((desired) => {
    if (optedOut(desired.object)) return desired;
    const text = serialize(desired.object);
    if (!mayExpand(text)) return desired;
    try {
      const object = parse(expand(text, lookup).text, QUIET_YAML) as unknown;
      return isKubeObject(object) ? { ...desired, object } : desired;
    } catch (error) {
      // What the controller would fail on is reported when the app renders; discovery keeps the object as built.
      if (error instanceof SubstitutionSyntaxError || error instanceof YAMLError) return desired;
      throw error;
    }
  });
}

/** JSON pointers of the string fields of `object` (as written, before substitution) that use one of `names`. */
function pathsUsing(object: unknown, names: ReadonlySet<string>, at: (string | number)[] = []): string[] {
  if (typeof object === 'string') {
    if (!object.includes('${')) return [];
    try {
      return expand(object, () => UNKNOWN).names.some((name) => names.has(name)) ? [formatPointer(at)] : [];
    } catch {
      return [];
    }
  }
  if (Array.isArray(object)) return object.flatMap((item, index) => pathsUsing(item, names, [...at, index]));
  if (object && typeof object === 'object') {
    return Object.entries(object).flatMap(([key, value]) => pathsUsing(value, names, [...at, key]));
  }
  return [];
}
