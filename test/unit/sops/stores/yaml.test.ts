// The YAML store keeps the user's document: comments, order, multi-document streams, line endings; and it
// rejects what SOPS cannot represent with a message naming the file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { decryptText, encryptText, keyGroupFor, reencryptEdited, SopsError } from '../../../../src/core/sops';
import { itWithShared } from '../../../support/shared';
import { AGE_KEYS_FILE, isolatedEnv, newAgeIdentity, vectorPath } from '../../../support/sops';

describe('sops YAML store', () => {
  let identity: string;
  let recipient: string;
  before(async () => ({ identity, recipient } = await newAgeIdentity()));

  const roundTrip = async (text: string) => {
    const ciphertext = await encryptText(text, 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), fileName: 'doc.yaml', env: isolatedEnv() });
    return (await decryptText(ciphertext, 'yaml', { ageIdentities: [identity], env: isolatedEnv() })).plaintext;
  };

  for (const [name, text] of Object.entries({
    'a stream starting with ---': '---\na: 1\n---\nb: 2\n',
    'an empty file': '',
    'a file holding only a comment': '# nothing yet\n',
    'CRLF line endings': 'a: 1\r\nb: two\r\n',
    'integer keys and null values': '1: one\n2:\nthree: ~\n',
    'infinite and integral floats': 'big: .inf\nratio: 2.0\n',
  })) {
    it(`gives back ${name} unchanged`, async () => {
      assert.equal(await roundTrip(text), text);
    });
  }

  it('keeps strings that look like numbers or booleans strings', async () => {
    const back = await roundTrip('port: "5432"\nflag: "true"\n');
    assert.match(back, /^port: "5432"$/m);
    assert.match(back, /^flag: "true"$/m);
  });

  it('rejects aliases and top-level lists with the file named', async () => {
    for (const [text, pattern] of [['base: &b\n  x: 1\nother: *b\n', /doc\.yaml: YAML aliases \(\*b\) are not supported/],
      ['- a\n- b\n', /doc\.yaml: YAML documents that are sequences are not supported/]] as const) {
      await assert.rejects(roundTrip(text), (err: unknown) => err instanceof SopsError && pattern.test(err.message));
    }
  });

  itWithShared('sops-vectors', 're-encrypting a file written by sops 3.7 leaves every data line as sops wrote it', async () => {
    const original = fs.readFileSync(vectorPath('age', 'example.yaml'), 'utf8');
    const opts = { ageKeyFile: AGE_KEYS_FILE, env: isolatedEnv() };
    const { plaintext } = await decryptText(original, 'yaml', opts);
    const again = await reencryptEdited(original, plaintext, 'yaml', opts);
    const data = (text: string) => text.split(/^sops:$/m)[0];
    assert.equal(data(again), data(original));
    assert.match(again, /^ {4}lastmodified: "\d{4}-\d\d-\d\dT[\d:]+Z"$/m);
  });
});
