// Encrypt then decrypt gives the document back, for every store; an edit re-encrypts only what changed.
import assert from 'node:assert/strict';
import { decryptText, encryptText, keyGroupFor, reencryptEdited, SopsFormat } from '../../../src/core/sops';
import { isolatedEnv, newAgeIdentity, removeTempDirs } from '../../support/sops';

const SAMPLES: Record<SopsFormat, string> = {
  yaml: [
    '# database settings',
    'db:',
    '  user: admin # who connects',
    '  password: s3cr3t',
    '  port: 5432',
    '  ratio: 1.0',
    '  weight: 2.5',
    '  enabled: true',
    '  nothing: null',
    '  hosts:',
    '    - a.example.com',
    '    # the fallback',
    '    - b.example.com',
    'note_unencrypted: stays readable',
    'multiline: |',
    '  line one',
    '  line two',
    '---',
    'second: document',
    '',
  ].join('\n'),
  json: '{\n\t"zeta": "last key first",\n\t"10": "ten",\n\t"2": "two",\n\t"count": 3,\n\t"ratio": 0.5,\n\t"flags": [\n\t\ttrue,\n\t\tfalse\n\t],\n\t"empty": "",\n\t"nested": {\n\t\t"token": "abc"\n\t}\n}\n',
  dotenv: '# api credentials\nAPI_KEY=abc123\nAPI_URL=https://example.com/x?y=1\n',
  ini: '; the database\n[db]\nuser     = admin\n; rotated monthly\npassword = s3cr3t\n\n[cache]\n; local only\nhost = localhost\n',
  binary: 'line 1\nline 2 with spaces  \n\u00e9t\u00e9\n',
};

function encValues(text: string): string[] {
  const body = text.split(/^sops:|^sops_|^\[sops\]|"sops": \{/m)[0];
  return body.match(/ENC\[AES256_GCM,[^\]]+\]/g) ?? [];
}

describe('sops encrypt / decrypt round trip', () => {
  let identity: string;
  let recipient: string;
  before(async () => ({ identity, recipient } = await newAgeIdentity()));
  after(removeTempDirs);

  for (const format of Object.keys(SAMPLES) as SopsFormat[]) {
    it(`gives back the exact ${format} document after encrypting it for an age recipient`, async () => {
      const ciphertext = await encryptText(SAMPLES[format], format, { keyGroups: keyGroupFor({ age: [recipient] }), env: isolatedEnv() });
      assert.ok(encValues(ciphertext).length > 0, 'values are encrypted');
      const { plaintext } = await decryptText(ciphertext, format, { ageIdentities: [identity], env: isolatedEnv() });
      assert.equal(plaintext, SAMPLES[format]);
    });
  }

  it('leaves *_unencrypted values and keys readable, and encrypts comments', async () => {
    const ciphertext = await encryptText(SAMPLES.yaml, 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), env: isolatedEnv() });
    assert.match(ciphertext, /note_unencrypted: stays readable/);
    assert.match(ciphertext, /^ {2}password: ENC\[AES256_GCM,.*type:str\]$/m);
    assert.match(ciphertext, /^ {2}port: ENC\[AES256_GCM,.*type:int\]$/m);
    assert.match(ciphertext, /^ {2}ratio: ENC\[AES256_GCM,.*type:float\]$/m);
    assert.match(ciphertext, /^#ENC\[AES256_GCM,.*type:comment\]$/m);
    assert.doesNotMatch(ciphertext, /s3cr3t|database settings|the fallback/);
    assert.equal(ciphertext.match(/^sops:$/gm)?.length, 2, 'every YAML document carries the metadata, as sops writes it');
  });

  for (const format of ['yaml', 'json', 'dotenv', 'ini'] as SopsFormat[]) {
    it(`changes exactly one ENC[] value of a ${format} file when one value is edited`, async () => {
      const env = isolatedEnv();
      const original = await encryptText(SAMPLES[format], format, { keyGroups: keyGroupFor({ age: [recipient] }), env });
      const { plaintext } = await decryptText(original, format, { ageIdentities: [identity], env });
      const edited = plaintext.replace(format === 'json' ? '"abc"' : format === 'dotenv' ? 'abc123' : 's3cr3t', format === 'json' ? '"xyz"' : 'changed');
      assert.notEqual(edited, plaintext);
      const updated = await reencryptEdited(original, edited, format, { ageIdentities: [identity], env });
      const before = encValues(original);
      const after = encValues(updated);
      assert.equal(after.length, before.length);
      assert.equal(after.filter((value, i) => value !== before[i]).length, 1);
      const { plaintext: reread } = await decryptText(updated, format, { ageIdentities: [identity], env });
      assert.equal(reread, edited);
    });
  }

  it('renews lastmodified and the MAC on edit but keeps the wrapped data key', async () => {
    const env = isolatedEnv();
    const original = await encryptText(SAMPLES.yaml, 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), env });
    const { plaintext } = await decryptText(original, 'yaml', { ageIdentities: [identity], env });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const updated = await reencryptEdited(original, plaintext.replace('s3cr3t', 'other'), 'yaml', { ageIdentities: [identity], env });
    const field = (text: string, name: string) => new RegExp(`^ +${name}: (.*)$`, 'm').exec(text)?.[1];
    assert.notEqual(field(updated, 'lastmodified'), field(original, 'lastmodified'));
    assert.notEqual(field(updated, 'mac'), field(original, 'mac'));
    const wrapped = (text: string) => /-----BEGIN AGE ENCRYPTED FILE-----[\s\S]*?-----END AGE ENCRYPTED FILE-----/.exec(text)?.[0];
    assert.ok(wrapped(original));
    assert.equal(wrapped(updated), wrapped(original));
  });

  it('keeps every ciphertext when the edited plaintext is unchanged', async () => {
    const env = isolatedEnv();
    const original = await encryptText(SAMPLES.yaml, 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), env });
    const { plaintext } = await decryptText(original, 'yaml', { ageIdentities: [identity], env });
    const updated = await reencryptEdited(original, plaintext, 'yaml', { ageIdentities: [identity], env });
    assert.deepEqual(encValues(updated), encValues(original));
  });
});

describe('sops files with keys Driftline cannot use itself', () => {
  it('edits a file that also has a KMS key with the age key, and writes the KMS entry back as it was', async () => {
    const { identity, recipient } = await newAgeIdentity();
    const env = isolatedEnv();
    const kms = '  kms:\n    - arn: arn:aws:kms:eu-west-1:111122223333:key/abc\n      created_at: "2024-01-01T00:00:00Z"\n      enc: AQICAHh4\n      aws_profile: ""\n';
    const original = (await encryptText('token: abc\n', 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), env }))
      .replace(/^sops:\n/m, `sops:\n${kms}`);
    const { plaintext } = await decryptText(original, 'yaml', { ageIdentities: [identity], env });
    const updated = await reencryptEdited(original, plaintext.replace('abc', 'xyz'), 'yaml', { ageIdentities: [identity], env });
    assert.ok(updated.includes(kms), updated);
    assert.match((await decryptText(updated, 'yaml', { ageIdentities: [identity], env })).plaintext, /^token: xyz$/m);
  });
});
