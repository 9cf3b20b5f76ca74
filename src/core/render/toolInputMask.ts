// Objects a tool must read from files (kustomize post-renderers read their manifests from a folder) hold no
// secret there: every value of a Secret, and every string holding a value that came from a Secret, is written
// as a placeholder and put back in the tool's output. Placeholders are base64 text of a length kustomize keeps
// as it is, so a Secret's `data` stays well-formed; a patch that sets a value replaces the placeholder, as it would
// the value.
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../model';

export interface MaskedObjects {
  objects: KubeObject[];
  /** The tool's output with every placeholder replaced by the value it stands for. */
  restore(objects: KubeObject[]): KubeObject[];
}

/** Shortest secret looked for inside longer strings (shorter ones would match unrelated text). */
const MIN_EMBEDDED = 4;

export function maskForTool(objects: KubeObject[], secretStrings: string[]): MaskedObjects {
  const run = randomBytes(6).toString('hex').toUpperCase();
  const values = new Map<string, string>();
  const placeholder = (value: string) => {
    const token = `DLMASK${run}${String(values.size).padStart(6, '0')}`;
    values.set(token, value);
    return token;
  };
  const embedded = secretStrings.filter((secret) => secret.length >= MIN_EMBEDDED);
  const maskString = (text: string): string => {
    if (secretStrings.includes(text)) return placeholder(text);
    return embedded.reduce((masked, secret) => masked.split(secret).join(placeholder(secret)), text);
  };
  const maskValue = (value: unknown): unknown => {
    if (typeof value === 'string') return maskString(value);
    if (Array.isArray(value)) return value.map(maskValue);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(item)]));
    return value;
  };
  const masked = objects.map((object) => {
    // Identity and metadata stay as they are: post-renderers select their targets by kind, name, labels and annotations.
    const { apiVersion, kind, metadata, ...rest } = object;
    const copy = { apiVersion, kind, metadata, ...maskValue(rest) as Record<string, unknown> } as KubeObject;
    if (object.kind !== 'Secret' || object.apiVersion !== 'v1') return copy;
    for (const field of ['data', 'stringData'] as const) {
      const entries = copy[field];
      if (entries && typeof entries === 'object') copy[field] = Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, values.has(String(value)) ? value : placeholder(String(value))]));
    }
    return copy;
  });
  const pattern = new RegExp(`DLMASK${run}\\d{6}`, 'g');
  const restoreValue = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(pattern, (token) => values.get(token) ?? token);
    if (Array.isArray(value)) return value.map(restoreValue);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, restoreValue(item)]));
    return value;
  };
  return { objects: masked, restore: (output) => output.map((object) => restoreValue(object) as KubeObject) };
}
