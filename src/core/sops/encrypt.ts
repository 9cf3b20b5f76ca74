// Encryption of a plaintext document with a fresh data key, for the keys and crypt rules of a creation rule
// (or keys given directly). Rules with KMS / Vault / Azure / GCP keys go through the sops CLI.
import { randomBytes } from 'node:crypto';
import { SopsError, sopsErrorNaming } from './errors';
import { cliOnlyKeyTypes, wrapDataKey } from './keys/dataKey';
import { encryptWithSopsCli } from './keys/sopsCli';
import { CryptRules, MasterKey, SOPS_FORMAT_VERSION, sopsTimestamp, withDefaultCryptRule } from './metadata';
import { isSopsEncrypted } from './decrypt';
import { fileLabel } from './open';
import { SopsOptions } from './options';
import { CreationRule } from './rules';
import { sealDocument } from './seal';
import { reservedKeyOf, stores } from './stores';
import { SopsFormat } from './stores/store';

export interface EncryptOptions extends SopsOptions {
  /** The creation rule to follow (see findCreationRule); or give keyGroups / cryptRules directly. */
  rule?: CreationRule;
  keyGroups?: MasterKey[][];
  shamirThreshold?: number;
  cryptRules?: CryptRules;
  /** Where the document will live: needed when the rule's keys need the sops CLI. */
  filePath?: string;
}

/** Key groups for plain lists of age recipients and PGP fingerprints (one group). */
export function keyGroupFor(keys: { age?: string[]; pgp?: string[] }): MasterKey[][] {
  return [[
    ...(keys.age ?? []).map((recipient): MasterKey => ({ type: 'age', recipient, enc: '' })),
    ...(keys.pgp ?? []).map((fp): MasterKey => ({ type: 'pgp', fp, created_at: '', enc: '' })),
  ]];
}

export async function encryptText(plaintext: string, format: SopsFormat, options: EncryptOptions): Promise<string> {
  const file = fileLabel(options, options.filePath ?? `(${format} document)`);
  const keyGroups = options.keyGroups ?? options.rule?.keyGroups;
  if (!keyGroups || keyGroups.every((g) => g.length === 0)) {
    throw new SopsError(`${file}: no keys to encrypt with (no matching creation rule in .sops.yaml)`, 'no-creation-rule');
  }
  if (isSopsEncrypted(plaintext, format)) throw new SopsError(`${file}: the document is already encrypted`);
  const cliTypes = cliOnlyKeyTypes(keyGroups);
  if (cliTypes.length > 0) {
    if (!options.filePath) throw new SopsError(`${file}: ${cliTypes.join(', ')} keys need the sops CLI and a file path`, 'needs-sops-cli');
    return encryptWithSopsCli(plaintext, format, options.filePath, cliTypes, options);
  }
  let doc;
  try {
    doc = stores[format].load(plaintext, file, 'plain');
  } catch (err) {
    throw sopsErrorNaming(file, err);
  }
  const reserved = reservedKeyOf(doc, format);
  if (reserved !== undefined) throw new SopsError(`${file}: the document has a top-level "${reserved}" key, which SOPS reserves for its metadata`);
  const dataKey = randomBytes(32);
  const threshold = options.shamirThreshold ?? options.rule?.shamirThreshold;
  const now = sopsTimestamp();
  const dated = keyGroups.map((g) => g.map((k) => (k.type === 'pgp' ? { ...k, created_at: now } : k)));
  const wrapped = await wrapDataKey(dataKey, dated, threshold, options);
  const rules = withDefaultCryptRule({ ...cryptRulesOf(options.rule), ...options.cryptRules });
  return sealDocument(doc, dataKey, {
    ...rules,
    keyGroups: wrapped,
    shamirThreshold: keyGroups.length > 1 ? threshold || keyGroups.length : undefined,
    lastmodified: now,
    version: SOPS_FORMAT_VERSION,
  }, file);
}

function cryptRulesOf(rule: CreationRule | undefined): CryptRules {
  if (!rule) return {};
  const { unencrypted_suffix, encrypted_suffix, unencrypted_regex, encrypted_regex, unencrypted_comment_regex, encrypted_comment_regex, mac_only_encrypted } = rule;
  return Object.fromEntries(Object.entries({ unencrypted_suffix, encrypted_suffix, unencrypted_regex, encrypted_regex, unencrypted_comment_regex, encrypted_comment_regex, mac_only_encrypted })
    .filter(([, v]) => v !== undefined)) as CryptRules;
}
