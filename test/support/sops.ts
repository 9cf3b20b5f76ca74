// Shared fixtures for the SOPS suites: the conformance vectors written by the real sops, throwaway age
// identities, a temporary GNUPGHOME holding the sops test keys (never the user's keyring), temp folders.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { sharedPath } from './shared';

export const VECTORS = sharedPath('sops-vectors');
export const vectorPath = (...parts: string[]) => path.join(VECTORS, ...parts);
export const AGE_KEYS_FILE = vectorPath('keys', 'age-keys.txt');
export const PGP_KEY_1 = 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4';

export interface VectorExpectation {
  file: string;
  format: 'yaml' | 'json' | 'dotenv' | 'ini' | 'binary';
  /** The sops release that wrote the file. */
  version: string;
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

const gnupgHomes: string[] = [];

export function removeTempDirs(): void {
  // The gpg-agent each temporary GNUPGHOME started would otherwise outlive the suite.
  for (const home of gnupgHomes.splice(0)) {
    spawnSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore' });
  }
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A fresh GNUPGHOME, with the sops functional-test keys imported unless `withKeys` is false. */
export function testGnupgHome(withKeys = true): string {
  const home = tempDir('driftline-gnupg-');
  fs.chmodSync(home, 0o700);
  gnupgHomes.push(home);
  if (!withKeys) return home;
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
  // A home that does not exist: nothing to read, nothing to clean up.
  const home = path.join(os.tmpdir(), 'driftline-no-such-home');
  return { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), ...extra };
}

/** The plaintext as plain data, the way the expected files render it. */
export function plaintextData(text: string, format: string): unknown {
  if (format === 'yaml') return parse(text);
  if (format === 'json') return JSON.parse(text);
  if (format === 'binary') return text;
  if (format === 'dotenv') return Object.fromEntries(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const sections: Record<string, Record<string, string>> = { DEFAULT: {} };
  let current = sections.DEFAULT;
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l && !/^[;#]/.test(l))) {
    const header = /^\[(.*)\]$/.exec(line);
    if (header) current = sections[header[1]] = {};
    else current[line.slice(0, line.indexOf('=')).trim()] = line.slice(line.indexOf('=') + 1).trim();
  }
  return sections;
}
