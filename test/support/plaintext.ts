// Plaintext secrets that must only ever exist in memory: tests register each one, and the run's scan
// (test/support/plaintextScan.mjs, started by test/run-all.mjs) proves none reached a file, a process's argv or
// environment, or a log. Registered values are random, so a hit can only be a leak.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';

/** Registers `value` for the run's plaintext scan (no-op outside `npm test`). */
export function registerPlaintext(value: string): string {
  const registry = process.env.DRIFTLINE_PLAINTEXT_REGISTRY;
  if (registry && value) fs.appendFileSync(registry, `${Buffer.from(value, 'utf8').toString('base64')}\n`, { mode: 0o600 });
  return value;
}

/** A fresh random secret value, registered for the scan. */
export function plaintextSecret(label: string): string {
  return registerPlaintext(`${label}-${randomBytes(6).toString('hex')}`);
}
