// Stopping a decryption that waits on gpg (a pinentry nobody answers, a stuck agent): the gpg process and what
// it started are killed, and the call rejects with the abort at once, never as "no key can decrypt".
import assert from 'node:assert/strict';
import { decryptText } from '../../../src/core/sops';
import { assertNoneLeft, rejectionAfter, waitUntil, writeHangingTool, type HangingTool } from '../../support/hangingTool';

/** A file whose only key is PGP: opening it runs gpg to unwrap the data key. */
const PGP_ONLY = [
  'password: ENC[AES256_GCM,data:c2VjcmV0,iv:aXY=,tag:dGFn,type:str]',
  'sops:',
  '  pgp:',
  '    - created_at: "2025-01-01T00:00:00Z"',
  '      enc: |',
  '        -----BEGIN PGP MESSAGE-----',
  '        aGVsbG8=',
  '        -----END PGP MESSAGE-----',
  '      fp: 1E3F2ED1B5B4C8D5A1B2C3D4E5F60718293A4B5C',
  '  lastmodified: "2025-01-01T00:00:00Z"',
  '  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]',
  '  version: 3.9.0',
  '',
].join('\n');

describe('sops: a decryption stopped while gpg runs', () => {
  let gpg: HangingTool;
  beforeEach(() => { gpg = writeHangingTool('gpg'); });
  afterEach(() => gpg.remove());

  it('kills gpg and what it started, and rejects with the abort within a second', async () => {
    const stop = new AbortController();
    const decryption = decryptText(PGP_ONLY, 'yaml', { gpgBinary: gpg.path, signal: stop.signal, env: { PATH: process.env.PATH }, fileName: 'secret.enc.yaml' });
    await waitUntil(() => gpg.runs() === 1, 'gpg started');
    const start = Date.now();
    stop.abort();
    const { error, ms } = await rejectionAfter(decryption, start);
    assert.equal(error.name, 'AbortError', error.message);
    assert.ok(ms < 1000, `rejected ${ms} ms after the abort`);
    await assertNoneLeft(gpg);
  });

  it('does not start gpg when the signal has aborted already', async () => {
    const stop = new AbortController();
    stop.abort();
    await assert.rejects(decryptText(PGP_ONLY, 'yaml', { gpgBinary: gpg.path, signal: stop.signal, env: { PATH: process.env.PATH } }), { name: 'AbortError' });
    assert.equal(gpg.runs(), 0);
  });
});
