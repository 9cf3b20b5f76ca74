// The edit path of `sops edit`: the edited plaintext is encrypted with the file's own data key, and every
// value that did not change re-encrypts with its old IV, hence to its old ciphertext, so a Git diff shows
// only what changed. lastmodified and the MAC are renewed; the keys are kept.
import { SopsError, sopsErrorNaming } from './errors';
import { fileLabel, openDocument } from './open';
import { SopsOptions } from './options';
import { sealDocument } from './seal';
import { reservedKeyOf, stores } from './stores';
import { SopsFormat } from './stores/store';

export async function reencryptEdited(originalCiphertext: string, editedPlaintext: string, format: SopsFormat, opts?: SopsOptions): Promise<string> {
  const file = fileLabel(opts, `(${format} document)`);
  const original = await openDocument(originalCiphertext, format, file, opts).catch((err: unknown) => {
    if (err instanceof SopsError && err.code === 'needs-sops-cli') {
      throw new SopsError(`${err.message}; editing in place needs its data key, so such files are edited with \`sops edit\``, err.code);
    }
    throw err;
  });
  let edited;
  try {
    edited = stores[format].load(editedPlaintext, file, 'plain');
  } catch (err) {
    throw sopsErrorNaming(file, err, ' (the edit was not saved)');
  }
  const reserved = reservedKeyOf(edited, format);
  if (reserved !== undefined) {
    throw new SopsError(`${file}: the edited document has a top-level "${reserved}" key, which SOPS reserves for its metadata (the edit was not saved)`);
  }
  return sealDocument(edited, original.dataKey, original.metadata, file, original.stash);
}
