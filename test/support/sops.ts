// Shared fixtures for the SOPS suites: the conformance vectors written by the real sops, throwaway age
// identities, a temporary GNUPGHOME holding the sops test keys (never the user's keyring), temp folders.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const VECTORS = '/work/shared/sops-vectors';
export const vectorPath = (...parts: string[]) => path.join(VECTORS, ...parts);
export const AGE_KEYS_FILE = vectorPath('keys', 'age-keys.txt');
export const PGP_KEY_1 = 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4';

export interface VectorExpectation {
  file: string;
  format: 'yaml' | 'json' | 'dotenv' | 'ini' | 'binary';
  dataKeyHex: string;
  lastmodified: string;
  fileMac: string;
  macVerified: boolean;
  plaintext: unknown;
  comments: Array<[string, string]>;
  leavesInMacOrder: Array<{ aad: string; encrypted: boolean; type: string; macBytes: string }>;
}

export function expectationFor(vector: string): VectorExpectation {
  return JSON.parse(fs.readFileSync(vectorPath('expected', `${vector.replace('/', '-')}.expected.json`), 'utf8')) as VectorExpectation;
}

const temps: string[] = [];

export function tempDir(prefix = 'driftline-sops-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A fresh GNUPGHOME with the sops functional-test keys imported. */
export function testGnupgHome(): string {
  const home = tempDir('driftline-gnupg-');
  fs.chmodSync(home, 0o700);
  execFileSync('gpg', ['--batch', '--quiet', '--import', vectorPath('keys', 'sops_functional_tests_key.asc')], {
    env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore',
  });
  return home;
}

type AgeModule = typeof import('age-encryption');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const age = (): AgeModule => require('age-encryption') as AgeModule;

export async function newAgeIdentity(): Promise<{ identity: string; recipient: string }> {
  const identity = await age().generateX25519Identity();
  return { identity, recipient: await age().identityToRecipient(identity) };
}

/** An environment with no age identities and no sops: so tests never pick up the developer's keys. */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = tempDir('driftline-home-');
  return { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), ...extra };
}
