// The file MAC: SHA-512 over the values in walk order (not comments), stored as an ENC[] string encrypted
// with the data key and the lastmodified date as AAD, so that neither values, their order nor the date can
// change without the data key.
import { createHash, Hash } from 'node:crypto';
import { decryptValue, encryptValue, ValueCipherError } from './format/aes';
import { macAad } from './metadata';

// sha256("sops"): seeds the hash when only encrypted values are covered, so both MAC kinds always differ.
const MAC_ONLY_ENCRYPTED_SEED = Buffer.from('8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69', 'hex');

export function newMacHash(macOnlyEncrypted: boolean): Hash {
  const hash = createHash('sha512');
  if (macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_SEED);
  return hash;
}

export function macHex(hash: Hash): string {
  return hash.digest('hex').toUpperCase();
}

export function sealMac(mac: string, dataKey: Buffer, lastmodified: string): string {
  return encryptValue('str', mac, dataKey, macAad(lastmodified));
}

/** The MAC stored in the file; throws ValueCipherError when it does not decrypt with the data key. */
export function openMac(encryptedMac: string, dataKey: Buffer, lastmodified: string): string {
  const opened = decryptValue(encryptedMac, dataKey, macAad(lastmodified));
  if (opened.kind !== 'value' || opened.value.type !== 'str') throw new ValueCipherError('the MAC is not a string');
  return opened.value.value;
}
