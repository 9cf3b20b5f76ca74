// The ENC[AES256_GCM,...] value cipher of sops (aes/cipher.go): AES-256-GCM with a 32-byte IV, the value's
// AAD path as additional data, the tag stored apart from the data. An IvStash remembers the IV of every value
// decrypted from a file so that re-encrypting an unchanged value yields the very same ciphertext (`sops edit`).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PlainValue } from '../tree';

const ENC_PATTERN = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;

export type EncryptedType = PlainValue['type'] | 'comment';

/** A decrypted ENC[] value: a typed value, or the text of an encrypted comment. */
export type Decrypted = { kind: 'value'; value: PlainValue } | { kind: 'comment'; text: string };

/** IVs of decrypted values, keyed by what was encrypted, for ciphertext reuse on re-encryption. */
export type IvStash = Map<string, Buffer>;

export class ValueCipherError extends Error {}

export function isEncryptedValue(text: string): boolean {
  return ENC_PATTERN.test(text);
}

function stashKey(aad: string, type: string, bytes: string): string {
  return `${aad}\u0000${type}\u0000${bytes}`;
}

export function encryptValue(type: EncryptedType, bytes: string, key: Buffer, aad: string, stash?: IvStash): string {
  const iv = stash?.get(stashKey(aad, type, bytes)) ?? randomBytes(32);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(Buffer.from(bytes, 'utf8')), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${tag.toString('base64')},type:${type}]`;
}

/** Decrypts one ENC[] string; throws ValueCipherError when it is malformed or does not authenticate. */
export function decryptValue(text: string, key: Buffer, aad: string, stash?: IvStash): Decrypted {
  const match = ENC_PATTERN.exec(text);
  if (!match) throw new ValueCipherError('the value is not in the ENC[AES256_GCM,...] format');
  const [, data64, iv64, tag64, type] = match;
  const iv = Buffer.from(iv64, 'base64');
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag64, 'base64'));
    plain = Buffer.concat([decipher.update(Buffer.from(data64, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new ValueCipherError('authentication failed (wrong data key, or the value or its key path was changed)');
  }
  const result = typedValue(type, plain);
  // Keyed by the exact plaintext bytes: an IV may only ever be reused for the identical plaintext.
  const typeOnReencryption = result.kind === 'value' ? result.value.type : 'comment';
  stash?.set(stashKey(aad, typeOnReencryption, plain), iv);
  return result;
}

function typedValue(type: string, plain: string): Decrypted {
  switch (type) {
    case 'str':
    case 'bytes':
      return { kind: 'value', value: { type: 'str', value: plain } };
    case 'int':
    case 'int64':
      if (!/^[-+]?\d+$/.test(plain)) throw new ValueCipherError(`decrypted int is not a number: ${type}`);
      return { kind: 'value', value: { type: 'int', value: BigInt(plain).toString() } };
    case 'float': {
      // Go's ParseFloat also reads the "+Inf", "-Inf" and "NaN" that FormatFloat writes.
      const special: Record<string, number> = { '+inf': Infinity, inf: Infinity, '-inf': -Infinity, nan: NaN };
      const value = special[plain.toLowerCase()] ?? Number(plain);
      if (plain.trim() === '' || (Number.isNaN(value) && plain.toLowerCase() !== 'nan')) throw new ValueCipherError('decrypted float is not a number');
      return { kind: 'value', value: { type: 'float', value } };
    }
    case 'bool': {
      const lower = plain.toLowerCase();
      if (!['true', 'false', '1', '0', 't', 'f'].includes(lower)) throw new ValueCipherError('decrypted bool is not a boolean');
      return { kind: 'value', value: { type: 'bool', value: ['true', '1', 't'].includes(lower) } };
    }
    case 'comment':
      return { kind: 'comment', text: plain };
    default:
      throw new ValueCipherError(`unknown value type "${type}"`);
  }
}
