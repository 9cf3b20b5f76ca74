// Decryption to the plaintext document, in memory. Files whose data key only a cloud KMS / Vault holds go
// through the sops CLI.
import * as fs from 'node:fs';
import { SopsError } from './errors';
import { cliOnlyKeyTypes } from './keys/dataKey';
import { decryptWithSopsCli } from './keys/sopsCli';
import { SopsMetadata } from './metadata';
import { fileLabel, loadEncrypted, openDocument } from './open';
import { SopsOptions } from './options';
import { formatForPath } from './stores';
import { SopsFormat } from './stores/store';

export interface DecryptResult {
  /** The document text in its store's format (for binary: the raw content). */
  plaintext: string;
  metadata: SopsMetadata;
}

export async function decryptText(text: string, format: SopsFormat, opts?: SopsOptions): Promise<DecryptResult> {
  const file = fileLabel(opts, `(${format} document)`);
  try {
    const opened = await openDocument(text, format, file, opts);
    return { plaintext: opened.doc.emit(), metadata: opened.metadata };
  } catch (err) {
    if (!(err instanceof SopsError) || err.code !== 'needs-sops-cli') throw err;
    const { metadata } = loadEncrypted(text, format, file);
    const plaintext = await decryptWithSopsCli(text, format, file, cliOnlyKeyTypes(metadata.keyGroups), opts);
    return { plaintext, metadata };
  }
}

export async function decryptFile(filePath: string, opts?: SopsOptions): Promise<DecryptResult> {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (err) {
    throw new SopsError(`${filePath}: cannot read the file: ${(err as Error).message}`);
  }
  return decryptText(text, formatForPath(filePath), { ...opts, fileName: opts?.fileName ?? filePath });
}

/** Whether the text is a SOPS document (has sops metadata with a lastmodified date). */
export function isSopsEncrypted(text: string, format: SopsFormat): boolean {
  try {
    loadEncrypted(text, format, '(document)');
    return true;
  } catch {
    return false;
  }
}
