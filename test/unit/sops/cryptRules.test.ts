// Which values are encrypted: suffix, regex and comment-regex rules, and mac_only_encrypted.
import assert from 'node:assert/strict';
import { decryptText, encryptText, keyGroupFor } from '../../../src/core/sops';
import { CryptRules } from '../../../src/core/sops/metadata';
import { isolatedEnv, newAgeIdentity } from '../../support/sops';

const SECRET = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: db',
  'stringData:',
  '  password: s3cr3t',
  'data:',
  '  token: dG9rZW4=',
  '',
].join('\n');

describe('sops crypt rules', () => {
  let identity: string;
  let recipient: string;
  before(async () => ({ identity, recipient } = await newAgeIdentity()));

  async function roundTrip(plaintext: string, cryptRules: CryptRules): Promise<string> {
    const ciphertext = await encryptText(plaintext, 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), cryptRules, env: isolatedEnv() });
    const { plaintext: back } = await decryptText(ciphertext, 'yaml', { ageIdentities: [identity], env: isolatedEnv() });
    assert.equal(back, plaintext);
    return ciphertext;
  }

  it('encrypted_regex ^(data|stringData)$ encrypts only a Secret\'s data, as Flux users configure it', async () => {
    const out = await roundTrip(SECRET, { encrypted_regex: '^(data|stringData)$' });
    assert.match(out, /^kind: Secret$/m);
    assert.match(out, /^ {2}name: db$/m);
    assert.match(out, /^ {2}password: ENC\[/m);
    assert.match(out, /^ {2}token: ENC\[/m);
    assert.match(out, /^ {2}encrypted_regex: \^\(data\|stringData\)\$$/m);
  });

  it('encrypted_suffix encrypts only keys ending with it (and everything below them)', async () => {
    const out = await roundTrip('a_secret:\n  nested: x\nplain: y\n', { encrypted_suffix: '_secret' });
    assert.match(out, /nested: ENC\[/);
    assert.match(out, /^plain: y$/m);
  });

  it('unencrypted_regex leaves matching keys readable', async () => {
    const out = await roundTrip('name: web\npassword: x\n', { unencrypted_regex: '^name$' });
    assert.match(out, /^name: web$/m);
    assert.match(out, /^password: ENC\[/m);
  });

  it('encrypted_comment_regex encrypts what follows a marker comment, not the marker itself', async () => {
    const out = await roundTrip('# sops:enc\nsecret: x\nplain: y\n', { encrypted_comment_regex: 'sops:enc' });
    assert.match(out, /^# sops:enc$/m);
    assert.match(out, /^secret: ENC\[/m);
    assert.match(out, /^plain: y$/m);
  });

  it('unencrypted_comment_regex leaves the value after a marker comment readable', async () => {
    const out = await roundTrip('# keep-plain\nvisible: x\nhidden: y\n', { unencrypted_comment_regex: 'keep-plain' });
    assert.match(out, /^# keep-plain$/m);
    assert.match(out, /^visible: x$/m);
    assert.match(out, /^hidden: ENC\[/m);
  });

  it('mac_only_encrypted lets unencrypted values change without breaking the MAC', async () => {
    const out = await roundTrip('name: web\npassword: x\n', { unencrypted_regex: '^name$', mac_only_encrypted: true });
    const changed = out.replace('name: web', 'name: api');
    const { plaintext } = await decryptText(changed, 'yaml', { ageIdentities: [identity], env: isolatedEnv() });
    assert.match(plaintext, /^name: api$/m);
    const strict = await encryptText('name: web\npassword: x\n', 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), cryptRules: { unencrypted_regex: '^name$' }, env: isolatedEnv() });
    await assert.rejects(decryptText(strict.replace('name: web', 'name: api'), 'yaml', { ageIdentities: [identity], env: isolatedEnv() }), /MAC mismatch/);
  });
});
