// Every way a user's key or file can be wrong gives a clear SopsError naming the file, never plaintext.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decryptFile, decryptText, encryptText, keyGroupFor, reencryptEdited, SopsError } from '../../../src/core/sops';
import { itWithShared } from '../../support/shared';
import { isolatedEnv, newAgeIdentity, removeTempDirs, tempDir, vectorPath } from '../../support/sops';

const PLAIN = 'password: s3cr3t\nuser: admin\nnote_unencrypted: hello\n';

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<SopsError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof SopsError, `expected a SopsError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, pattern);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('sops errors', () => {
  let owner: { identity: string; recipient: string };
  let stranger: { identity: string; recipient: string };
  let ciphertext: string;
  let file: string;
  before(async () => {
    owner = await newAgeIdentity();
    stranger = await newAgeIdentity();
    ciphertext = await encryptText(PLAIN, 'yaml', { keyGroups: keyGroupFor({ age: [owner.recipient] }), env: isolatedEnv() });
    file = path.join(tempDir(), 'secret.yaml');
    fs.writeFileSync(file, ciphertext);
  });
  after(removeTempDirs);

  it('names the file and the places searched when no age identity exists', async () => {
    const err = await rejectsWith(decryptFile(file, { env: isolatedEnv() }), 'no-identity', /no age identity found/);
    assert.ok(err.message.startsWith(file));
    assert.match(err.message, /SOPS_AGE_KEY/);
    assert.match(err.message, /sops\/age\/keys\.txt/);
  });

  it('reports a wrong key with the recipient it needed, naming the file', async () => {
    const err = await rejectsWith(decryptFile(file, { ageIdentities: [stranger.identity], env: isolatedEnv() }), 'wrong-key', /none of the available keys/);
    assert.ok(err.message.startsWith(file));
    assert.ok(err.message.includes(owner.recipient));
  });

  it('reads identities from SOPS_AGE_KEY_FILE, $XDG_CONFIG_HOME/sops/age/keys.txt and ~/.config/sops/age/keys.txt', async () => {
    const dir = tempDir();
    const keyFile = path.join(dir, 'keys.txt');
    fs.writeFileSync(keyFile, `# created: today\n${owner.identity}\n`);
    const viaEnv = await decryptFile(file, { env: isolatedEnv({ SOPS_AGE_KEY_FILE: keyFile }) });
    assert.match(viaEnv.plaintext, /password: s3cr3t/);
    fs.mkdirSync(path.join(dir, 'sops', 'age'), { recursive: true });
    fs.copyFileSync(keyFile, path.join(dir, 'sops', 'age', 'keys.txt'));
    const viaXdg = await decryptFile(file, { env: isolatedEnv({ XDG_CONFIG_HOME: dir }) });
    assert.match(viaXdg.plaintext, /password: s3cr3t/);
    const home = tempDir();
    fs.mkdirSync(path.join(home, '.config', 'sops', 'age'), { recursive: true });
    fs.copyFileSync(keyFile, path.join(home, '.config', 'sops', 'age', 'keys.txt'));
    const viaHome = await decryptFile(file, { env: { PATH: process.env.PATH, HOME: home } });
    assert.match(viaHome.plaintext, /password: s3cr3t/);
  });

  it('refuses a mapping tagged as a scalar (data: !!str), naming the file and the key, before anything is lost', async () => {
    await assert.rejects(encryptText('kind: Secret\ndata: !!str\n  token: c2VjcmV0\n', 'yaml', { keyGroups: keyGroupFor({ age: [owner.recipient] }), env: isolatedEnv(), filePath: 'secret.yaml' }),
      /secret\.yaml: the mapping under data is tagged !!str, which SOPS files cannot keep: remove the tag/);
  });

  it('refuses a file whose unencrypted value was changed (MAC mismatch), without revealing values', async () => {
    const tampered = ciphertext.replace('note_unencrypted: hello', 'note_unencrypted: bye');
    const err = await rejectsWith(decryptText(tampered, 'yaml', { ageIdentities: [owner.identity], fileName: 'secret.yaml', env: isolatedEnv() }),
      'mac-mismatch', /^secret\.yaml: MAC mismatch/);
    assert.doesNotMatch(err.message, /s3cr3t/);
  });

  it('refuses a file whose values were swapped (each value is bound to its key path)', async () => {
    const lines = ciphertext.split('\n');
    const [pw, user] = [lines[0].split(': ')[1], lines[1].split(': ')[1]];
    const swapped = [`password: ${user}`, `user: ${pw}`, ...lines.slice(2)].join('\n');
    await rejectsWith(decryptText(swapped, 'yaml', { ageIdentities: [owner.identity], fileName: 'secret.yaml', env: isolatedEnv() }),
      'failed', /secret\.yaml: cannot decrypt the value at password/);
  });

  it('refuses a file whose MAC was replaced', async () => {
    const other = await encryptText('x: y\n', 'yaml', { keyGroups: keyGroupFor({ age: [owner.recipient] }), env: isolatedEnv() });
    const otherMac = /^ +mac: (.*)$/m.exec(other)![1];
    const tampered = ciphertext.replace(/^( +mac: ).*$/m, `$1${otherMac}`);
    await rejectsWith(decryptText(tampered, 'yaml', { ageIdentities: [owner.identity], fileName: 'secret.yaml', env: isolatedEnv() }),
      'mac-mismatch', /secret\.yaml: the MAC does not decrypt/);
  });

  itWithShared('sops-vectors', 'refuses no_mac.yaml (written by sops 3.3.1 without a MAC) with a clear message', async () => {
    await rejectsWith(decryptFile(vectorPath('pgp', 'no_mac.yaml'), { env: isolatedEnv() }), 'no-mac', /no_mac\.yaml: the sops metadata has no MAC/);
  });

  it('says a plaintext file is not encrypted', async () => {
    await rejectsWith(decryptText(PLAIN, 'yaml', { fileName: 'plain.yaml' }), 'not-encrypted', /^plain\.yaml: not a SOPS-encrypted file/);
  });

  it('names the file and line of invalid YAML in an edit, and keeps the edit unsaved', async () => {
    await rejectsWith(reencryptEdited(ciphertext, 'password: [unclosed\n', 'yaml', { ageIdentities: [owner.identity], fileName: 'secret.yaml', env: isolatedEnv() }),
      'failed', /^secret\.yaml: invalid YAML at line \d+.*the edit was not saved/);
  });

  it('names the file and line of invalid JSON, and refuses a JSON document that is not an object', async () => {
    const keys = { keyGroups: keyGroupFor({ age: [owner.recipient] }), env: isolatedEnv() };
    await rejectsWith(encryptText('{\n  "a": 1,\n  "b" 2\n}\n', 'json', { ...keys, fileName: 'app.json' }), 'failed', /^app\.json: invalid JSON at line 3: expected ':'/);
    await rejectsWith(encryptText('[1, 2]\n', 'json', { ...keys, fileName: 'list.json' }), 'failed', /^list\.json: .*top level is an object/);
  });

  it('refuses to encrypt without keys, and refuses to encrypt twice', async () => {
    await rejectsWith(encryptText(PLAIN, 'yaml', { fileName: 'new.yaml' }), 'no-creation-rule', /^new\.yaml: no keys to encrypt with/);
    await rejectsWith(encryptText(ciphertext, 'yaml', { keyGroups: keyGroupFor({ age: [owner.recipient] }), fileName: 'secret.yaml' }),
      'failed', /secret\.yaml: the document is already encrypted/);
  });

  it('names the key type when a file needs the sops CLI and sops is not installed, and cannot be edited in place', async () => {
    const kmsFile = ciphertext.replace(/^sops:\n/m, 'sops:\n  kms:\n    - arn: arn:aws:kms:us-east-1:1:key/x\n      created_at: "2024-01-01T00:00:00Z"\n      enc: AQID\n')
      .replace(/^ {2}age:\n(?: {4}.*\n| {6}.*\n| {8}.*\n)+/m, '');
    await rejectsWith(decryptText(kmsFile, 'yaml', { fileName: 'kms.yaml', sopsBinary: 'sops-not-installed-here', env: isolatedEnv() }),
      'needs-sops-cli', /^kms\.yaml: its kms keys need the sops CLI, which is not on PATH/);
    await rejectsWith(reencryptEdited(kmsFile, PLAIN, 'yaml', { fileName: 'kms.yaml', env: isolatedEnv() }),
      'needs-sops-cli', /^kms\.yaml: its data key is wrapped only with kms keys.*edited with `sops edit`/);
  });
});
