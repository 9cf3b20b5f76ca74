// Encrypts a loaded plaintext document with a data key and writes the metadata: the common end of
// encryption (new data key), editing (same data key, reused IVs) and nothing else.
import { IvStash } from './format/aes';
import { sealMac } from './mac';
import { metadataToRaw, SopsMetadata, sopsTimestamp } from './metadata';
import { LoadedDocument } from './stores/store';
import { encryptBranches } from './treeCipher';

export function sealDocument(doc: LoadedDocument, dataKey: Buffer, metadata: SopsMetadata, file: string, stash?: IvStash): string {
  const lastmodified = sopsTimestamp();
  const mac = encryptBranches(doc.branches, { dataKey, rules: metadata, file, stash });
  return doc.emit(metadataToRaw({ ...metadata, lastmodified, mac: sealMac(mac, dataKey, lastmodified) }));
}
