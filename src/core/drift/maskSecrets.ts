// Secret masking at the boundary where objects leave the engine (after fluxcd/pkg ssa/jsondiff mask): every
// value under `data`/`stringData` is replaced. A value equal on both sides gets the same mask on both, a
// changed one gets a before/after pair, so a diff still shows WHICH key changed without showing any value.
import type { KubeObject } from '../model';
import { parsePointer } from './jsonPointer';

export const SECRET_MASK = '***';
export const SECRET_MASK_BEFORE = '*** (before)';
export const SECRET_MASK_AFTER = '*** (after)';

const SECRET_VALUE_FIELDS = ['data', 'stringData'] as const;

export function isSecret(object: KubeObject | undefined): boolean {
  return !!object && object.kind === 'Secret' && object.apiVersion === 'v1';
}

/** Masked copies of a live/desired pair; either side may be absent (Missing, Extra). Non-Secrets pass through. */
export function maskSecretPair(
  live: KubeObject | undefined,
  desired: KubeObject | undefined,
): { live?: KubeObject; desired?: KubeObject } {
  if (!isSecret(live) && !isSecret(desired)) return { live, desired };
  const maskedLive = live && structuredClone(live);
  const maskedDesired = desired && structuredClone(desired);
  for (const field of SECRET_VALUE_FIELDS) {
    const liveValues = valuesOf(live, field);
    const desiredValues = valuesOf(desired, field);
    if (maskedLive && liveValues) {
      maskedLive[field] = maskValues(liveValues, desiredValues, SECRET_MASK_BEFORE);
    }
    if (maskedDesired && desiredValues) {
      maskedDesired[field] = maskValues(desiredValues, liveValues, SECRET_MASK_AFTER);
    }
  }
  return { live: maskedLive, desired: maskedDesired };
}

/** A masked copy of one object (every value the same mask), for objects shown alone. */
export function maskSecret(object: KubeObject): KubeObject {
  return maskSecretPair(object, undefined).live as KubeObject;
}

function valuesOf(object: KubeObject | undefined, field: string): Record<string, unknown> | undefined {
  const values = object?.[field];
  return values && typeof values === 'object' ? (values as Record<string, unknown>) : undefined;
}

function maskValues(
  own: Record<string, unknown>,
  other: Record<string, unknown> | undefined,
  changedMask: string,
): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [key, value] of Object.entries(own)) {
    const changed = other !== undefined && key in other && other[key] !== value;
    masked[key] = changed ? changedMask : SECRET_MASK;
  }
  return masked;
}

/**
 * Masked copies where fields of a non-Secret object hold a Secret's value (post-build substitution filled them
 * from a Secret: DesiredObject.secretPaths): masked as a Secret's values are, a changed one as a before/after pair.
 */
export function maskSecretFields(
  live: KubeObject | undefined,
  desired: KubeObject | undefined,
  pointers: readonly string[] | undefined,
): { live?: KubeObject; desired?: KubeObject } {
  if (!pointers?.length) return { live, desired };
  const maskedLive = live && structuredClone(live);
  const maskedDesired = desired && structuredClone(desired);
  for (const pointer of pointers) {
    const tokens = parsePointer(pointer);
    const liveValue = valueAt(live, tokens);
    const desiredValue = valueAt(desired, tokens);
    const changed = liveValue !== undefined && desiredValue !== undefined && JSON.stringify(liveValue) !== JSON.stringify(desiredValue);
    if (liveValue !== undefined) setAt(maskedLive, tokens, changed ? SECRET_MASK_BEFORE : SECRET_MASK);
    if (desiredValue !== undefined) setAt(maskedDesired, tokens, changed ? SECRET_MASK_AFTER : SECRET_MASK);
  }
  return { live: maskedLive, desired: maskedDesired };
}

function valueAt(document: unknown, tokens: string[]): unknown {
  let value = document;
  for (const token of tokens) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return value;
}

function setAt(document: unknown, tokens: string[], masked: string): void {
  const parent = valueAt(document, tokens.slice(0, -1));
  if (parent && typeof parent === 'object') (parent as Record<string, unknown>)[tokens[tokens.length - 1]] = masked;
}
