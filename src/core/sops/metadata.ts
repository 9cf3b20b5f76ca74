// The `sops:` metadata block: parsed from whatever a store read (a plain object) into typed key groups and
// crypt rules, and written back in the field order sops itself uses (stores/stores.go), so files we write
// diff cleanly against files the sops CLI writes.
import { compileGoRegex, GoRegexError } from './goRegex';

/** One master key wrapping the data key (or its Shamir share). Fields are those of the file format. */
export type MasterKey =
  | { type: 'age'; recipient: string; enc: string }
  | { type: 'pgp'; fp: string; created_at: string; enc: string }
  | { type: 'kms' | 'gcp_kms' | 'azure_kv' | 'hc_vault' | 'hckms'; fields: Record<string, unknown>; enc: string };

export type KeyType = MasterKey['type'];

/** Which values get encrypted; at most one of suffix/regex rules, plus optional comment regexes. */
export interface CryptRules {
  unencrypted_suffix?: string;
  encrypted_suffix?: string;
  unencrypted_regex?: string;
  encrypted_regex?: string;
  unencrypted_comment_regex?: string;
  encrypted_comment_regex?: string;
  mac_only_encrypted?: boolean;
}

export interface SopsMetadata extends CryptRules {
  keyGroups: MasterKey[][];
  shamirThreshold?: number;
  lastmodified: string;
  /** The encrypted MAC; undefined when the file has none (sops refuses such files). */
  mac?: string;
  version: string;
}

export const DEFAULT_UNENCRYPTED_SUFFIX = '_unencrypted';
export const SOPS_FORMAT_VERSION = '3.10.2';

const OTHER_KEY_TYPES = ['kms', 'gcp_kms', 'hckms', 'azure_kv', 'hc_vault'] as const;
const CRYPT_RULE_FIELDS = ['unencrypted_suffix', 'encrypted_suffix', 'unencrypted_regex', 'encrypted_regex'] as const;

export class MetadataError extends Error {}

type Raw = Record<string, unknown>;

const asList = (value: unknown): Raw[] => (Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as Raw[]) : []);
const asString = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

function groupFrom(raw: Raw): MasterKey[] {
  const keys: MasterKey[] = [];
  for (const type of OTHER_KEY_TYPES) {
    // `fields` keeps the entry as written (enc included) so it is written back in the same order.
    for (const k of asList(raw[type])) keys.push({ type, fields: k, enc: asString(k.enc) });
  }
  for (const k of asList(raw.age)) keys.push({ type: 'age', recipient: asString(k.recipient), enc: asString(k.enc) });
  for (const k of asList(raw.pgp)) keys.push({ type: 'pgp', fp: asString(k.fp), created_at: asString(k.created_at), enc: asString(k.enc) });
  return keys;
}

/** Reads the metadata a store found under `sops`; `file` names the file in errors. */
export function parseMetadata(raw: unknown, file: string): SopsMetadata {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new MetadataError(`${file}: sops metadata not found`);
  const m = raw as Raw;
  const topGroup = groupFrom(m);
  const keyGroups = topGroup.length > 0 ? [topGroup] : asList(m.key_groups).map(groupFrom);
  if (keyGroups.length === 0 || keyGroups.every((g) => g.length === 0)) throw new MetadataError(`${file}: the sops metadata lists no keys`);
  const lastmodified = asString(m.lastmodified);
  if (!lastmodified) throw new MetadataError(`${file}: the sops metadata has no lastmodified date`);
  const rules: CryptRules = {};
  for (const field of [...CRYPT_RULE_FIELDS, 'unencrypted_comment_regex', 'encrypted_comment_regex'] as const) {
    const value = asString(m[field]);
    if (value) rules[field] = value;
  }
  if (CRYPT_RULE_FIELDS.filter((f) => rules[f]).length > 1) {
    throw new MetadataError(`${file}: the sops metadata sets more than one of ${CRYPT_RULE_FIELDS.join(', ')}`);
  }
  for (const field of ['unencrypted_regex', 'encrypted_regex', 'unencrypted_comment_regex', 'encrypted_comment_regex'] as const) {
    try {
      if (rules[field]) compileGoRegex(rules[field]!, `${file}: the sops metadata's ${field}`);
    } catch (err) {
      if (err instanceof GoRegexError) throw new MetadataError(err.message);
      throw err;
    }
  }
  if (m.mac_only_encrypted === true || m.mac_only_encrypted === 'true') rules.mac_only_encrypted = true;
  return {
    ...withDefaultCryptRule(rules),
    keyGroups,
    shamirThreshold: m.shamir_threshold === undefined ? undefined : Number(m.shamir_threshold),
    lastmodified,
    mac: asString(m.mac) || undefined,
    version: asString(m.version),
  };
}

/** sops leaves `*_unencrypted` keys in clear unless another suffix/regex rule is given. */
export function withDefaultCryptRule<T extends CryptRules>(rules: T): T {
  const hasRule = CRYPT_RULE_FIELDS.some((f) => rules[f]) || rules.unencrypted_comment_regex || rules.encrypted_comment_regex;
  return hasRule ? rules : { ...rules, unencrypted_suffix: DEFAULT_UNENCRYPTED_SUFFIX };
}

function keysOfType(group: MasterKey[], type: KeyType): Raw[] {
  return group.filter((k) => k.type === type).map((k) => {
    if (k.type === 'age') return { recipient: k.recipient, enc: k.enc };
    if (k.type === 'pgp') return { created_at: k.created_at, enc: k.enc, fp: k.fp };
    return { ...(k as { fields: Raw }).fields, enc: k.enc };
  });
}

function rawGroup(group: MasterKey[]): Raw {
  const out: Raw = {};
  for (const type of [...OTHER_KEY_TYPES, 'age', 'pgp'] as const) {
    const keys = keysOfType(group, type);
    if (keys.length > 0) out[type] = keys;
  }
  return out;
}

/** The metadata as an ordered plain object, ready for a store to write under `sops`. */
export function metadataToRaw(md: SopsMetadata): Raw {
  const out: Raw = {};
  if (md.keyGroups.length > 1) {
    out.shamir_threshold = md.shamirThreshold ?? md.keyGroups.length;
    out.key_groups = md.keyGroups.map(rawGroup);
  }
  const single = md.keyGroups.length === 1 ? rawGroup(md.keyGroups[0]) : {};
  for (const type of OTHER_KEY_TYPES) if (single[type]) out[type] = single[type];
  if (single.age) out.age = single.age;
  out.lastmodified = md.lastmodified;
  out.mac = md.mac ?? '';
  if (single.pgp) out.pgp = single.pgp;
  for (const field of [...CRYPT_RULE_FIELDS, 'unencrypted_comment_regex', 'encrypted_comment_regex'] as const) {
    if (md[field]) out[field] = md[field];
  }
  if (md.mac_only_encrypted) out.mac_only_encrypted = true;
  out.version = md.version;
  return out;
}

/** RFC 3339 in UTC without fractions, as sops writes lastmodified and created_at. */
export function sopsTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** sops formats the parsed lastmodified with RFC 3339 before using it as the MAC's AAD. */
export function macAad(lastmodified: string): string {
  return lastmodified.replace(/\.\d+(?=Z|[+-]\d\d:\d\d$)/, '');
}

// Flat stores (dotenv, INI) keep the metadata as `key__list_0__map_field` entries (stores/flatten.go).

/** Flattens the raw metadata into sorted key/value pairs with newlines escaped. */
export function flattenMetadata(raw: Raw): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const visit = (prefix: string, value: unknown): void => {
    if (Array.isArray(value)) value.forEach((v, i) => visit(`${prefix}__list_${i}`, v));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(`${prefix}__map_${k}`, v);
    else out.push([prefix, String(value).replace(/\n/g, '\\n')]);
  };
  for (const [k, v] of Object.entries(raw)) visit(k, v);
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Rebuilds the raw metadata object from flat pairs; `file` names the file in errors. Keys are own properties
 * (`__proto__` is a key like any other, never the prototype), a list index is at most the number of pairs
 * (`__list_4294967294` made a list that takes minutes to walk), and a key holds a value or more keys, not both.
 */
export function unflattenMetadata(pairs: Array<[string, string]>, file: string): Raw {
  const root: Raw = {};
  const own = (container: object, key: string | number): unknown =>
    (Object.prototype.hasOwnProperty.call(container, key) ? (container as Record<string | number, unknown>)[key] : undefined);
  const set = (container: object, key: string | number, value: unknown) =>
    Object.defineProperty(container, key, { value, enumerable: true, configurable: true, writable: true });
  for (const [flatKey, value] of pairs) {
    const tokens = flatKey.split(/(?=__map_|__list_)/).map((t) => {
      if (!t.startsWith('__list_')) return t.startsWith('__map_') ? t.slice(6) : t;
      const index = Number(t.slice(7));
      if (!Number.isInteger(index) || index < 0 || index >= pairs.length) {
        throw new MetadataError(`${file}: sops metadata key ${flatKey}: "${t.slice(7)}" is not a list index`);
      }
      return index;
    });
    let node: object = root;
    tokens.forEach((token, i) => {
      const current = own(node, token);
      if (i === tokens.length - 1) {
        if (current && typeof current === 'object') throw new MetadataError(`${file}: sops metadata key ${flatKey} holds a value and more keys`);
        set(node, token, value.replace(/\\n/g, '\n'));
        return;
      }
      const next = current ?? (typeof tokens[i + 1] === 'number' ? [] : {});
      if (typeof next !== 'object') throw new MetadataError(`${file}: sops metadata key ${flatKey} holds a value and more keys`);
      if (current === undefined) set(node, token, next);
      node = next;
    });
  }
  return root;
}
