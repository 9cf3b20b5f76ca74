// The store for each format, and the format sops infers from a file name.
import * as path from 'node:path';
import { binaryStore } from './binary';
import { dotenvStore } from './dotenv';
import { iniStore } from './ini';
import { jsonStore } from './json';
import { LoadedDocument, SopsFormat, Store } from './store';
import { yamlStore } from './yaml';

export const stores: Record<SopsFormat, Store> = {
  yaml: yamlStore,
  json: jsonStore,
  dotenv: dotenvStore,
  ini: iniStore,
  binary: binaryStore,
};

/** sops's choice by extension: .yaml/.yml, .json, .env, .ini; anything else is binary. */
export function formatForPath(filePath: string): SopsFormat {
  const ext = path.extname(filePath).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  if (ext === '.env' || path.basename(filePath) === '.env') return 'dotenv';
  if (ext === '.ini') return 'ini';
  return 'binary';
}

/**
 * A top-level key of a plaintext document where the format keeps the sops metadata (`sops`; in dotenv any
 * `sops_` key; in INI a [sops] section): encrypted, it would be read back as metadata, and the file not open.
 */
export function reservedKeyOf(doc: LoadedDocument, format: SopsFormat): string | undefined {
  if (format === 'binary') return undefined;
  for (const branch of doc.branches) {
    for (const item of branch.items) {
      if (item.kind !== 'entry') continue;
      if (format === 'dotenv' ? item.key.startsWith('sops_') : item.key === 'sops') return item.key;
    }
  }
  return undefined;
}
