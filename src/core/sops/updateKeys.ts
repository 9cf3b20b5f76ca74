// `updatekeys`: re-wraps a file's data key for the keys its creation rule lists now. Values, their
// ciphertext, lastmodified and the MAC stay as they are; only the key list changes.
import * as fs from 'node:fs';
import { SopsError } from './errors';
import { writeFileAtomic } from './files';
import { wrapDataKey } from './keys/dataKey';
import { MasterKey, metadataToRaw, sopsTimestamp } from './metadata';
import { loadEncrypted, openDocument } from './open';
import { SopsOptions } from './options';
import { findCreationRule } from './rules';
import { formatForPath } from './stores';

export interface UpdateKeysResult {
  changed: boolean;
  added: string[];
  removed: string[];
}

export function keyId(key: MasterKey): string {
  if (key.type === 'age') return `age:${key.recipient}`;
  if (key.type === 'pgp') return `pgp:${key.fp.toUpperCase()}`;
  return `${key.type}:${JSON.stringify(Object.values(key.fields)[0] ?? '')}`;
}

function layout(groups: MasterKey[][], threshold?: number): string {
  return JSON.stringify({ groups: groups.map((g) => g.map(keyId).sort()), threshold: groups.length > 1 ? threshold || groups.length : 0 });
}

export async function updateKeys(filePath: string, opts?: SopsOptions): Promise<UpdateKeysResult> {
  const text = fs.readFileSync(filePath, 'utf8');
  const format = formatForPath(filePath);
  const rule = findCreationRule(filePath);
  if (!rule) throw new SopsError(`${filePath}: no .sops.yaml creation rule matches this file`, 'no-creation-rule');
  const { metadata, dataKey } = await openDocument(text, format, filePath, opts);
  const before = new Set(metadata.keyGroups.flat().map(keyId));
  const after = new Set(rule.keyGroups.flat().map(keyId));
  const result = {
    added: [...after].filter((k) => !before.has(k)),
    removed: [...before].filter((k) => !after.has(k)),
  };
  if (layout(metadata.keyGroups, metadata.shamirThreshold) === layout(rule.keyGroups, rule.shamirThreshold)) {
    return { changed: false, ...result };
  }
  const now = sopsTimestamp();
  const dated = rule.keyGroups.map((g) => g.map((k) => (k.type === 'pgp' ? { ...k, created_at: now } : k)));
  const keyGroups = await wrapDataKey(dataKey, dated, rule.shamirThreshold, opts);
  // Reload the untouched ciphertext: only the metadata block is replaced.
  const { doc } = loadEncrypted(text, format, filePath);
  const shamirThreshold = keyGroups.length > 1 ? rule.shamirThreshold || keyGroups.length : undefined;
  writeFileAtomic(filePath, doc.emit(metadataToRaw({ ...metadata, keyGroups, shamirThreshold })));
  return { changed: true, ...result };
}
