// .sops.yaml creation rules: the nearest .sops.yaml from the file's folder upwards decides; its first rule
// whose path_regex (Go RE2, translated) matches the file's path relative to that folder wins.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { yamlErrorText, yamlNestingProblem } from '../yamlLimits';
import { SopsError } from './errors';
import { compileGoRegex } from './goRegex';
import { CryptRules, MasterKey } from './metadata';

export interface CreationRule extends CryptRules {
  /** The .sops.yaml the rule comes from. */
  configFile: string;
  /** 0-based position in creation_rules, for messages. */
  index: number;
  pathRegex?: string;
  /** Keys to wrap the data key with (enc empty); one group unless key_groups / Shamir is used. */
  keyGroups: MasterKey[][];
  shamirThreshold?: number;
}

const CONFIG_NAMES = ['.sops.yaml', '.sops.yml'];

/** The .sops.yaml that governs `filePath`, searching from its folder upwards. */
export function findConfigFile(filePath: string): string | undefined {
  let dir = path.dirname(path.resolve(filePath));
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function findCreationRule(filePath: string): CreationRule | undefined {
  const configFile = findConfigFile(filePath);
  if (!configFile) return undefined;
  const rules = loadCreationRules(configFile);
  const relative = path.relative(path.dirname(configFile), path.resolve(filePath)).split(path.sep).join('/');
  return rules.find((rule) => !rule.pathRegex || compileGoRegex(rule.pathRegex, `${configFile}: creation rule ${rule.index + 1} path_regex`).test(relative));
}

export function loadCreationRules(configFile: string): CreationRule[] {
  let doc: unknown;
  try {
    const text = fs.readFileSync(configFile, 'utf8');
    const tooDeep = yamlNestingProblem(text);
    if (tooDeep) throw new Error(tooDeep);
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    if (document.errors.length > 0) throw new Error(yamlErrorText(document.errors[0], lines).text);
    doc = document.toJS();
  } catch (err) {
    throw new SopsError(`${configFile}: cannot read the SOPS configuration: ${(err as Error).message}`);
  }
  const list = (doc as { creation_rules?: unknown } | null)?.creation_rules;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new SopsError(`${configFile}: creation_rules must be a list`);
  return list.map((raw, index) => parseRule(raw, index, configFile));
}

type Raw = Record<string, unknown>;

function parseRule(raw: unknown, index: number, configFile: string): CreationRule {
  const where = `${configFile}: creation rule ${index + 1}`;
  if (!raw || typeof raw !== 'object') throw new SopsError(`${where} is not a mapping`);
  const r = raw as Raw;
  const text = (field: string) => (r[field] === undefined || r[field] === null ? undefined : String(r[field]));
  const rules: CryptRules = {};
  for (const field of ['unencrypted_suffix', 'encrypted_suffix', 'unencrypted_regex', 'encrypted_regex', 'unencrypted_comment_regex', 'encrypted_comment_regex'] as const) {
    const value = text(field);
    if (value) rules[field] = value;
  }
  if (['unencrypted_suffix', 'encrypted_suffix', 'unencrypted_regex', 'encrypted_regex'].filter((f) => text(f)).length > 1) {
    throw new SopsError(`${where}: use only one of unencrypted_suffix, encrypted_suffix, unencrypted_regex, encrypted_regex`);
  }
  if (r.mac_only_encrypted === true) rules.mac_only_encrypted = true;
  for (const field of ['encrypted_regex', 'unencrypted_regex', 'encrypted_comment_regex', 'unencrypted_comment_regex'] as const) {
    if (rules[field]) compileGoRegex(rules[field]!, `${where} ${field}`);
  }
  const pathRegex = text('path_regex') ?? text('filename_regex');
  if (pathRegex) compileGoRegex(pathRegex, `${where} path_regex`);
  const keyGroups = Array.isArray(r.key_groups)
    ? r.key_groups.map((g, i) => {
      if (!g || typeof g !== 'object' || Array.isArray(g)) throw new SopsError(`${where}: key group ${i + 1} is not a mapping of keys`);
      return groupKeys(g as Raw, where);
    })
    : [groupKeys(r, where)];
  if (keyGroups.every((g) => g.length === 0)) throw new SopsError(`${where} lists no keys (age, pgp, kms, ...)`);
  const threshold = r.shamir_threshold === undefined ? undefined : Number(r.shamir_threshold);
  return { ...rules, configFile, index, pathRegex, keyGroups, shamirThreshold: threshold };
}

/** Comma-separated strings (top-level rule keys) or YAML lists (inside key_groups). */
function entries(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  return String(value).split(',').map((s) => s.trim()).filter(Boolean);
}

function groupKeys(raw: Raw, where: string): MasterKey[] {
  const keys: MasterKey[] = [];
  for (const recipient of entries(raw.age)) keys.push({ type: 'age', recipient: String(recipient), enc: '' });
  for (const fp of entries(raw.pgp)) keys.push({ type: 'pgp', fp: String(fp).replace(/\s+/g, ''), created_at: '', enc: '' });
  const other: Array<[string, MasterKey['type'], string]> = [
    ['kms', 'kms', 'arn'], ['gcp_kms', 'gcp_kms', 'resource_id'], ['azure_keyvault', 'azure_kv', 'vault_url'],
    ['hc_vault_transit_uri', 'hc_vault', 'vault_address'], ['hc_vault', 'hc_vault', 'vault_address'],
  ];
  for (const [field, type, mainField] of other) {
    for (const entry of entries(raw[field])) {
      const fields = entry && typeof entry === 'object' ? (entry as Raw) : { [mainField]: String(entry) };
      keys.push({ type: type as 'kms', fields, enc: '' });
    }
  }
  for (const k of keys) {
    if (k.type === 'age' && !/^age1[0-9a-z]+$/.test(k.recipient)) throw new SopsError(`${where}: "${k.recipient}" is not an age recipient (age1...)`);
  }
  return keys;
}
