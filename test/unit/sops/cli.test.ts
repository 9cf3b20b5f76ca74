// `driftline sops decrypt|encrypt|updatekeys`: what a terminal user sees, and what lands on disk.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { runSopsCommand } from '../../../src/cli/sops';
import { decryptFile } from '../../../src/core/sops';
import { isolatedEnv, newAgeIdentity, removeTempDirs, tempDir } from '../../support/sops';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return { stream, text: () => chunks.join('') };
}

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = capture();
  const err = capture();
  const code = await runSopsCommand(args, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

const PLAIN = '# credentials\nuser: admin\npassword: s3cr3t\n';

describe('driftline sops', () => {
  let alice: { identity: string; recipient: string };
  let bob: { identity: string; recipient: string };
  let repo: string;
  let aliceKeys: string;
  let bobKeys: string;

  before(async () => {
    [alice, bob] = await Promise.all([newAgeIdentity(), newAgeIdentity()]);
    const keys = tempDir();
    aliceKeys = path.join(keys, 'alice.txt');
    bobKeys = path.join(keys, 'bob.txt');
    fs.writeFileSync(aliceKeys, `${alice.identity}\n`);
    fs.writeFileSync(bobKeys, `${bob.identity}\n`);
  });
  beforeEach(() => {
    repo = tempDir();
    fs.writeFileSync(path.join(repo, '.sops.yaml'), `creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    age: ${alice.recipient}\n`);
    fs.mkdirSync(path.join(repo, 'secrets'));
  });
  after(removeTempDirs);

  it('encrypt --in-place replaces the file with ciphertext for the creation rule, atomically, keeping its mode', async () => {
    const file = path.join(repo, 'secrets', 'db.yaml');
    fs.writeFileSync(file, PLAIN, { mode: 0o600 });
    const result = await run('encrypt', file, '--in-place');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const written = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(written, /s3cr3t|credentials/);
    assert.match(written, new RegExp(`recipient: ${alice.recipient}`));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(path.join(repo, 'secrets')), ['db.yaml'], 'no temporary file left behind');
    assert.equal((await decryptFile(file, { ageKeyFile: aliceKeys, env: isolatedEnv() })).plaintext, PLAIN);
  });

  it('encrypt without --in-place prints the ciphertext and leaves the file alone', async () => {
    const file = path.join(repo, 'secrets', 'db.yaml');
    fs.writeFileSync(file, PLAIN);
    const result = await run('encrypt', file);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^password: ENC\[AES256_GCM/m);
    assert.equal(fs.readFileSync(file, 'utf8'), PLAIN);
  });

  it('decrypt prints the plaintext with --age-key-file', async () => {
    const file = path.join(repo, 'secrets', 'db.yaml');
    fs.writeFileSync(file, PLAIN);
    await run('encrypt', file, '--in-place');
    const result = await run('decrypt', file, '--age-key-file', aliceKeys);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, PLAIN);
  });

  it('exits 2 with a message naming the file when the key is wrong, and leaves the file untouched', async () => {
    const file = path.join(repo, 'secrets', 'db.yaml');
    fs.writeFileSync(file, PLAIN);
    await run('encrypt', file, '--in-place');
    const before = fs.readFileSync(file);
    const result = await run('decrypt', file, '--age-key-file', bobKeys);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`^driftline sops decrypt: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: none of the available keys`));
    assert.deepEqual(fs.readFileSync(file), before);
  });

  it('refuses to encrypt a file no creation rule matches, naming it, and leaves it as it was', async () => {
    const file = path.join(repo, 'plain.yaml');
    fs.writeFileSync(file, PLAIN);
    const result = await run('encrypt', file, '--in-place');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /plain\.yaml: no \.sops\.yaml creation rule matches this file/);
    assert.equal(fs.readFileSync(file, 'utf8'), PLAIN);
  });

  it('updatekeys re-wraps the data key for a recipient added to the rule, keeping every value\'s ciphertext and the MAC', async () => {
    const file = path.join(repo, 'secrets', 'db.yaml');
    fs.writeFileSync(file, PLAIN);
    await run('encrypt', file, '--in-place');
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(path.join(repo, '.sops.yaml'), `creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    age: ${alice.recipient},${bob.recipient}\n`);
    const result = await run('updatekeys', file, '--age-key-file', aliceKeys);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`keys updated; added age:${bob.recipient}`));
    const after = fs.readFileSync(file, 'utf8');
    const values = (text: string) => text.split(/^sops:/m)[0];
    const mac = (text: string) => /^ +mac: (.*)$/m.exec(text)?.[1];
    assert.equal(values(after), values(before));
    assert.equal(mac(after), mac(before));
    assert.equal((await decryptFile(file, { ageKeyFile: bobKeys, env: isolatedEnv() })).plaintext, PLAIN);
    const again = await run('updatekeys', file, '--age-key-file', aliceKeys);
    assert.match(again.stdout, /keys already match the creation rule/);
  });

  it('explains its usage when FILE or the command is missing or unknown', async () => {
    assert.equal((await run()).code, 2);
    const missing = await run('decrypt');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /decrypt needs a FILE/);
    assert.match((await run('frobnicate', 'x')).stderr, /unknown command "frobnicate"/);
  });
});
