// Encrypts or decrypts every leaf of a loaded document in place and returns the MAC of its plaintext,
// the two halves of sops's Tree.Encrypt / Tree.Decrypt.
import { Hash } from 'node:crypto';
import { encryptionDecider } from './cryptRules';
import { SopsError } from './errors';
import { decryptValue, encryptValue, IvStash, ValueCipherError } from './format/aes';
import { macHex, newMacHash } from './mac';
import { CryptRules } from './metadata';
import { aadOf, LeafVisit, macBytes, str, TreeMap, walkBranches } from './tree';

export interface TreeCipherContext {
  dataKey: Buffer;
  rules: CryptRules;
  /** Names the file in errors. */
  file: string;
  stash?: IvStash;
}

/** Walks the leaves with whether each is (to be) encrypted and its AAD; returns the MAC of what `visit` hashed. */
function walkWithMac(branches: TreeMap[], ctx: TreeCipherContext, visit: (v: LeafVisit, encrypted: boolean, aad: string, hash: Hash) => void): string {
  const isEncrypted = encryptionDecider(ctx.rules, ctx.file);
  const hash = newMacHash(!!ctx.rules.mac_only_encrypted);
  walkBranches(branches, (v) => visit(v, isEncrypted(v), aadOf(v.path), hash));
  return macHex(hash);
}

export function encryptBranches(branches: TreeMap[], ctx: TreeCipherContext): string {
  return walkWithMac(branches, ctx, (visit, encrypted, aad, hash) => {
    const { leaf } = visit;
    if (leaf.kind === 'comment') {
      if (encrypted && leaf.text !== '') leaf.text = encryptValue('comment', leaf.text, ctx.dataKey, aad, ctx.stash);
      return;
    }
    const bytes = macBytes(leaf.value);
    if (!ctx.rules.mac_only_encrypted || encrypted) hash.update(bytes, 'utf8');
    if (encrypted && !(leaf.value.type === 'str' && leaf.value.value === '')) {
      leaf.value = str(encryptValue(leaf.value.type, bytes, ctx.dataKey, aad, ctx.stash));
    }
  });
}

export function decryptBranches(branches: TreeMap[], ctx: TreeCipherContext): string {
  return walkWithMac(branches, ctx, (visit, encrypted, aad, hash) => {
    const { leaf } = visit;
    if (leaf.kind === 'comment') {
      if (!encrypted) return;
      try {
        const opened = decryptValue(leaf.text, ctx.dataKey, aad, ctx.stash);
        if (opened.kind === 'comment') leaf.text = opened.text;
      } catch {
        // Like sops: a comment that does not decrypt was written in clear by an older sops; keep it.
      }
      return;
    }
    if (encrypted && leaf.value.type === 'str' && leaf.value.value !== '') {
      try {
        const opened = decryptValue(leaf.value.value, ctx.dataKey, aad, ctx.stash);
        if (opened.kind !== 'value') throw new ValueCipherError('a value is typed as a comment');
        leaf.value = opened.value;
      } catch (err) {
        throw new SopsError(`${ctx.file}: cannot decrypt the value at ${aad.slice(0, -1) || '(top level)'}: ${(err as Error).message}`);
      }
    } else if (encrypted && leaf.value.type !== 'str') {
      throw new SopsError(`${ctx.file}: the value at ${aad.slice(0, -1)} should be encrypted but is a plain ${leaf.value.type}`);
    }
    if (!ctx.rules.mac_only_encrypted || encrypted) hash.update(macBytes(leaf.value), 'utf8');
  });
}
