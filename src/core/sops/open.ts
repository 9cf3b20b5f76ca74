// Opens an encrypted document: parses it, unwraps its data key, decrypts every value in memory and checks
// the MAC. Shared by decryption, editing and key updates.
import { SopsError, sopsErrorNaming } from './errors';
import { IvStash, ValueCipherError } from './format/aes';
import { unwrapDataKey } from './keys/dataKey';
import { openMac } from './mac';
import { MetadataError, parseMetadata, SopsMetadata } from './metadata';
import { SopsOptions } from './options';
import { stores } from './stores';
import { LoadedDocument, SopsFormat, StoreError } from './stores/store';
import { decryptBranches } from './treeCipher';

export interface OpenedDocument {
  /** The document with its values decrypted in place. */
  doc: LoadedDocument;
  metadata: SopsMetadata;
  dataKey: Buffer;
  /** IVs of the values as found, so unchanged values re-encrypt to the same ciphertext. */
  stash: IvStash;
}

export function fileLabel(opts: SopsOptions | undefined, fallback: string): string {
  return opts?.fileName ?? fallback;
}

/** Parses an encrypted document and its metadata without decrypting anything. */
export function loadEncrypted(text: string, format: SopsFormat, file: string): { doc: LoadedDocument; metadata: SopsMetadata } {
  let doc: LoadedDocument;
  try {
    doc = stores[format].load(text, file, 'encrypted');
  } catch (err) {
    if (err instanceof StoreError && /metadata not found/.test(err.message)) {
      throw new SopsError(`${file}: not a SOPS-encrypted file (no sops metadata)`, 'not-encrypted');
    }
    throw sopsErrorNaming(file, err);
  }
  try {
    return { doc, metadata: parseMetadata(doc.metadata, file) };
  } catch (err) {
    if (err instanceof MetadataError) throw new SopsError(err.message);
    throw err;
  }
}

export async function openDocument(text: string, format: SopsFormat, file: string, opts?: SopsOptions): Promise<OpenedDocument> {
  const { doc, metadata } = loadEncrypted(text, format, file);
  const verifyMac = opts?.verifyMac !== false;
  if (verifyMac && !metadata.mac) {
    throw new SopsError(`${file}: the sops metadata has no MAC, so the content cannot be authenticated; refusing to decrypt it`, 'no-mac');
  }
  const dataKey = await unwrapDataKey(metadata, file, opts);
  const stash: IvStash = new Map();
  const computed = decryptBranches(doc.branches, { dataKey, rules: metadata, file, stash });
  if (verifyMac) checkMac(metadata.mac ?? '', metadata.lastmodified, dataKey, computed, file);
  return { doc, metadata, dataKey, stash };
}

/** Throws unless the stored MAC decrypts and equals the one computed over the decrypted values. */
function checkMac(mac: string, lastmodified: SopsMetadata['lastmodified'], dataKey: Buffer, computed: string, file: string): void {
  let stored: string;
  try {
    stored = openMac(mac, dataKey, lastmodified);
  } catch (err) {
    if (!(err instanceof ValueCipherError)) throw err;
    throw new SopsError(`${file}: the MAC does not decrypt (the MAC or lastmodified was changed); refusing to decrypt`, 'mac-mismatch');
  }
  if (stored !== computed) {
    throw new SopsError(`${file}: MAC mismatch: the values were changed without the data key (tampered or edited by hand); refusing to decrypt`, 'mac-mismatch');
  }
}
