// SOPS-encrypted manifests in rendered output. Decryption itself lives in src/core/sops and is plugged in
// through RenderOptions.decryptSecret; here we only find encrypted objects and route them through the hook,
// so that an object we cannot decrypt is reported Unknown instead of being compared as ciphertext.
import { stringify } from 'yaml';
import { isAbortError } from '../abort';
import type { DesiredObject } from '../model';
import { isKubeObject, parseYamlDocuments } from './parseManifests';
import type { DecryptManifest } from './options';

/** A SOPS file carries its metadata in a top-level `sops` map (with a MAC, `lastmodified`, key groups...). */
export function isSopsEncrypted(value: unknown): boolean {
  const sops = (value as { sops?: unknown } | null)?.sops;
  return !!sops && typeof sops === 'object' && ('mac' in sops || 'lastmodified' in sops);
}

/** Whether a file's text looks SOPS-encrypted, cheaply, before parsing it. */
function looksSopsEncrypted(text: string): boolean {
  return /^sops:/m.test(text) && text.includes('ENC[');
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Decrypts the encrypted objects among `objects` one by one; those it cannot decrypt get an unknownReason. */
export async function decryptObjects(objects: DesiredObject[], decrypt: DecryptManifest | undefined): Promise<DesiredObject[]> {
  return Promise.all(objects.map(async (desired) => {
    if (!isSopsEncrypted(desired.object)) return desired;
    const where = `${desired.source.file}${desired.source.line ? `:${desired.source.line}` : ''}`;
    if (!decrypt) return { ...desired, unknownReason: `SOPS-encrypted (${where}); no decryption key configured` };
    try {
      const plaintext = await decrypt(stringify(desired.object), desired.source.file);
      if (plaintext === undefined) throw new Error('not recognised as SOPS-encrypted by the decryption hook');
      const [document] = parseYamlDocuments(plaintext, desired.source.file);
      if (!isKubeObject(document?.value)) throw new Error('decryption did not return a Kubernetes object');
      return { ...desired, object: document.value };
    } catch (error) {
      if (isAbortError(error)) throw error;
      return { ...desired, unknownReason: `cannot decrypt SOPS-encrypted ${desired.object.kind}/${desired.object.metadata.name} (${where}): ${describeError(error)}` };
    }
  }));
}

/** A file's text decrypted when it is SOPS-encrypted and a hook is set; else unchanged (objects stay marked). */
export async function decryptFileText(text: string, file: string, decrypt: DecryptManifest | undefined): Promise<string> {
  if (!decrypt || !looksSopsEncrypted(text)) return text;
  try {
    return (await decrypt(text, file)) ?? text;
  } catch (error) {
    if (isAbortError(error)) throw error;
    // Left encrypted: decryptObjects reports each object with the hook's own message.
    return text;
  }
}
