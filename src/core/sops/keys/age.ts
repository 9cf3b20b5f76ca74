// age master keys through the npm `age-encryption` package (ESM-only; Node 20.19+ loads it with require).
// Identities come from, in order: the caller's options (VS Code setting), SOPS_AGE_KEY, SOPS_AGE_KEY_FILE,
// and $XDG_CONFIG_HOME/sops/age/keys.txt (default ~/.config/sops/age/keys.txt), as the sops CLI reads them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { envOf, SopsOptions } from '../options';

type AgeModule = typeof import('age-encryption');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first age key, not with every module that imports this one
const age = (): AgeModule => require('age-encryption') as AgeModule;

export interface AgeIdentities {
  identities: string[];
  /** Where identities were looked for, for the "no identity" message. */
  searched: string[];
}

export function defaultAgeKeyFile(env: NodeJS.ProcessEnv): string {
  const configHome = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(configHome, 'sops', 'age', 'keys.txt');
}

function identitiesIn(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith('AGE-SECRET-KEY-'));
}

function readIdentityFile(file: string): string[] {
  try {
    return identitiesIn(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot read age identity file ${file}: ${(err as Error).message}`, { cause: err });
  }
}

export function loadAgeIdentities(opts?: SopsOptions): AgeIdentities {
  const env = envOf(opts);
  const identities = [...(opts?.ageIdentities ?? []).flatMap(identitiesIn)];
  const searched: string[] = [];
  if (opts?.ageKeyFile) {
    // The user chose this file: say so when it is not there, instead of silently looking elsewhere.
    searched.push(fs.existsSync(opts.ageKeyFile) ? opts.ageKeyFile : `${opts.ageKeyFile} (the configured age key file, not found)`);
    identities.push(...readIdentityFile(opts.ageKeyFile));
  }
  if (env.SOPS_AGE_KEY) identities.push(...identitiesIn(env.SOPS_AGE_KEY));
  searched.push('SOPS_AGE_KEY');
  if (env.SOPS_AGE_KEY_FILE) {
    searched.push(env.SOPS_AGE_KEY_FILE);
    identities.push(...readIdentityFile(env.SOPS_AGE_KEY_FILE));
  }
  const defaultFile = defaultAgeKeyFile(env);
  searched.push(defaultFile);
  identities.push(...readIdentityFile(defaultFile));
  return { identities: [...new Set(identities)], searched };
}

/** Unwraps an armored age data key; returns undefined when none of the identities is a recipient. */
export async function decryptAgeKey(armored: string, identities: string[]): Promise<Buffer | undefined> {
  if (identities.length === 0) return undefined;
  const { Decrypter, armor } = age();
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  try {
    return Buffer.from(await decrypter.decrypt(armor.decode(armored.trim() + '\n'), 'uint8array'));
  } catch (err) {
    if (/no identity matched/i.test((err as Error).message)) return undefined;
    throw err;
  }
}

export async function encryptAgeKey(dataKey: Buffer, recipient: string): Promise<string> {
  const { Encrypter, armor } = age();
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  return armor.encode(await encrypter.encrypt(new Uint8Array(dataKey)));
}

export async function ageRecipientOf(identity: string): Promise<string> {
  return age().identityToRecipient(identity);
}
