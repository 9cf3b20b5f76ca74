// The data key of a file: unwrapped from its key groups (age natively, PGP through gpg; with several groups,
// one Shamir share per group until the threshold is met), and wrapped again for a set of key groups.
import { isAbortError } from '../../abort';
import { SopsError } from '../errors';
import { KeyType, MasterKey, SopsMetadata } from '../metadata';
import { SopsOptions } from '../options';
import { decryptAgeKey, encryptAgeKey, loadAgeIdentities } from './age';
import { decryptPgpKey, encryptPgpKey } from './pgp';
import { combineShares, splitSecret } from './shamir';

export const NATIVE_KEY_TYPES: KeyType[] = ['age', 'pgp'];

/** Key types that only the sops CLI can use (cloud KMS, Vault, Azure Key Vault). */
export function cliOnlyKeyTypes(groups: MasterKey[][]): KeyType[] {
  return [...new Set(groups.flat().map((k) => k.type).filter((t) => !NATIVE_KEY_TYPES.includes(t)))];
}

function describe(key: MasterKey): string {
  if (key.type === 'age') return `age ${key.recipient}`;
  if (key.type === 'pgp') return `pgp ${key.fp}`;
  return `${key.type} ${String(Object.values(key.fields)[0] ?? '')}`;
}

export async function unwrapDataKey(md: SopsMetadata, file: string, opts?: SopsOptions): Promise<Buffer> {
  const age = loadAgeIdentities(opts);
  const failures: string[] = [];
  const shares: Buffer[] = [];
  for (const group of md.keyGroups) {
    const ordered = [...group.filter((k) => k.type === 'age'), ...group.filter((k) => k.type === 'pgp')];
    for (const key of ordered) {
      const share = key.type === 'age' ? await unwrapAge(key.enc, age.identities, failures, key) : await unwrapPgp(key, opts, failures);
      if (share) {
        shares.push(share);
        break;
      }
    }
  }
  const needed = md.keyGroups.length === 1 ? 1 : md.shamirThreshold || md.keyGroups.length;
  if (shares.length >= needed) {
    const key = md.keyGroups.length === 1 ? shares[0] : combinedShares(file, shares);
    if (key.length !== 32) throw new SopsError(`${file}: the unwrapped data key has ${key.length} bytes instead of 32`, 'wrong-key');
    return key;
  }
  const cliTypes = cliOnlyKeyTypes(md.keyGroups);
  const nativeKeys = md.keyGroups.flat().filter((k) => NATIVE_KEY_TYPES.includes(k.type));
  if (nativeKeys.length === 0) {
    throw new SopsError(`${file}: its data key is wrapped only with ${cliTypes.join(', ')} keys, which need the sops CLI`, 'needs-sops-cli');
  }
  const agePresent = nativeKeys.some((k) => k.type === 'age');
  if (agePresent && age.identities.length === 0 && !nativeKeys.some((k) => k.type === 'pgp')) {
    throw new SopsError(`${file}: no age identity found (looked in ${age.searched.join(', ')}); cannot decrypt the data key for ${nativeKeys.map(describe).join(', ')}`, 'no-identity');
  }
  const got = md.keyGroups.length > 1 ? ` (${shares.length} of ${needed} key groups unlocked)` : '';
  throw new SopsError(`${file}: none of the available keys can decrypt its data key${got}: ${failures.join('; ')}`, 'wrong-key');
}

/** The data key from the key groups' Shamir shares; shares that do not combine (a key group copied twice) say so, naming the file. */
function combinedShares(file: string, shares: Buffer[]): Buffer {
  try {
    return combineShares(shares);
  } catch (error) {
    throw new SopsError(`${file}: the shares of its ${shares.length} key groups do not combine into a data key (${(error as Error).message})`, 'wrong-key');
  }
}

async function unwrapAge(enc: string, identities: string[], failures: string[], key: MasterKey): Promise<Buffer | undefined> {
  try {
    const share = await decryptAgeKey(enc, identities);
    if (!share) failures.push(`${describe(key)}: ${identities.length === 0 ? 'no age identity available' : 'none of the age identities matches'}`);
    return share;
  } catch (err) {
    failures.push(`${describe(key)}: ${(err as Error).message}`);
    return undefined;
  }
}

async function unwrapPgp(key: MasterKey & { type: 'pgp' }, opts: SopsOptions | undefined, failures: string[]): Promise<Buffer | undefined> {
  try {
    const result = await decryptPgpKey(key.enc, opts);
    if (!result.key) failures.push(`${describe(key)}: gpg: ${result.reason}`);
    return result.key;
  } catch (err) {
    // Stopped (the refresh was cancelled): no key failed, the decryption did not finish.
    if (isAbortError(err)) throw err;
    failures.push(`${describe(key)}: ${(err as Error).message}`);
    return undefined;
  }
}

/** Wraps the data key (or one Shamir share per group) for every key; `enc` of the given keys is replaced. */
export async function wrapDataKey(dataKey: Buffer, groups: MasterKey[][], threshold: number | undefined, opts?: SopsOptions): Promise<MasterKey[][]> {
  const cliTypes = cliOnlyKeyTypes(groups);
  if (cliTypes.length > 0) throw new SopsError(`wrapping a data key with ${cliTypes.join(', ')} keys needs the sops CLI`, 'needs-sops-cli');
  const parts = groups.length === 1 ? [dataKey] : splitSecret(dataKey, groups.length, threshold || groups.length);
  return Promise.all(groups.map((group, i) => Promise.all(group.map(async (key): Promise<MasterKey> => {
    if (key.type === 'age') return { ...key, enc: await encryptAgeKey(parts[i], key.recipient) };
    if (key.type === 'pgp') return { ...key, created_at: key.created_at, enc: await encryptPgpKey(parts[i], key.fp, opts) };
    return key;
  }))));
}
