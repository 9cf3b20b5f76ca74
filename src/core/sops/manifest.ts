// For the render layer: Kubernetes manifests that are SOPS-encrypted (typically Secrets decrypted by Flux's
// spec.decryption) are decrypted in memory so the drift engine compares real values; it masks them on output.
import { decryptText } from './decrypt';
import { isSopsEncrypted } from './decrypt';
import { SopsOptions } from './options';

/**
 * The decrypted YAML of a SOPS-encrypted manifest, or undefined when the text is not SOPS-encrypted.
 * Throws SopsError (naming `filePath`) when it is encrypted but cannot be decrypted or fails its MAC.
 */
export async function decryptManifestIfSops(text: string, filePath: string, opts?: SopsOptions): Promise<string | undefined> {
  if (!/^sops:/m.test(text) || !isSopsEncrypted(text, 'yaml')) return undefined;
  const { plaintext } = await decryptText(text, 'yaml', { ...opts, fileName: opts?.fileName ?? filePath });
  return plaintext;
}
