// SOPS against the real tools: the PGP vectors through gpg (a temporary GNUPGHOME holding sops's test keys,
// never the user's keyring), PGP encryption, and Debian's age CLI opening a data key we wrapped.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decryptFile, decryptText, encryptText, keyGroupFor, SopsError } from '../../../src/core/sops';
import { encryptAgeKey } from '../../../src/core/sops/keys/age';
import { describeWithShared, hasShared } from '../../support/shared';
import { expectationFor, isolatedEnv, PGP_KEY_1, plaintextData, removeTempDirs, tempDir, testGnupgHome, vectorPath } from '../../support/sops';

const PGP_VECTORS = ['pgp/example.json', 'pgp/example.txt', 'pgp/format.enc.yaml', 'pgp/format.enc.env', 'pgp/format.enc.ini', 'pgp/comments.enc.yaml'];

/** An identity file written by Debian's age-keygen, and its recipient. */
function ageKeygen(): { identityFile: string; recipient: string } {
  const identityFile = path.join(tempDir(), 'keys.txt');
  execFileSync('age-keygen', ['-o', identityFile], { stdio: 'ignore' });
  return { identityFile, recipient: /public key: (age1\w+)/.exec(fs.readFileSync(identityFile, 'utf8'))![1] };
}

/** The sops release that wrote a vector, for a test's title (read while the tests are defined, so only when present). */
const writtenBy = (vector: string) => (hasShared('sops-vectors') ? `sops ${expectationFor(vector).version}` : 'sops');

describeWithShared('sops-vectors', 'sops with gpg, on the vectors and keys of sops\'s own tests', () => {
  let gnupgHome: string;
  before(() => { gnupgHome = testGnupgHome(); });
  after(removeTempDirs);

  for (const vector of PGP_VECTORS) {
    it(`decrypts ${vector} (written by ${writtenBy(vector)}) through gpg with its MAC verified`, async () => {
      const expected = expectationFor(vector);
      const result = await decryptFile(vectorPath(vector), { gnupgHome, env: isolatedEnv() });
      assert.deepEqual(plaintextData(result.plaintext, expected.format), expected.plaintext);
    });
  }

  it('decrypts comments.enc.yaml to exactly the plaintext sops encrypted, comments included', async () => {
    const result = await decryptFile(vectorPath('pgp', 'comments.enc.yaml'), { gnupgHome, env: isolatedEnv() });
    assert.equal(result.plaintext, `${fs.readFileSync(vectorPath('plaintext', 'comments.yaml'), 'utf8')}\n`);
  });

  it('refuses no_mac.yaml even though gpg can open its data key', async () => {
    await assert.rejects(decryptFile(vectorPath('pgp', 'no_mac.yaml'), { gnupgHome, env: isolatedEnv() }),
      (err: unknown) => err instanceof SopsError && err.code === 'no-mac' && err.message.includes('no_mac.yaml'));
  });

  it('encrypts for a PGP fingerprint through gpg and decrypts it again, comment inside a list kept', async () => {
    const plaintext = `${fs.readFileSync(vectorPath('plaintext', 'comments_list.yaml'), 'utf8')}\n`;
    const ciphertext = await encryptText(plaintext, 'yaml', { keyGroups: keyGroupFor({ pgp: [PGP_KEY_1] }), gnupgHome, env: isolatedEnv() });
    assert.match(ciphertext, /-----BEGIN PGP MESSAGE-----/);
    assert.match(ciphertext, new RegExp(`fp: ${PGP_KEY_1}`));
    const back = await decryptText(ciphertext, 'yaml', { gnupgHome, env: isolatedEnv() });
    assert.equal(back.plaintext, plaintext);
  });

  it('reports gpg\'s reason when the PGP secret key is not in the keyring', async () => {
    const emptyHome = testGnupgHome(false);
    await assert.rejects(decryptFile(vectorPath('pgp', 'format.enc.yaml'), { gnupgHome: emptyHome, env: isolatedEnv() }),
      (err: unknown) => err instanceof SopsError && err.code === 'wrong-key' && err.message.includes(`pgp ${PGP_KEY_1}: gpg:`));
  });
});

describe('sops with the age CLI', () => {
  after(removeTempDirs);

  it('wraps a data key that Debian\'s age CLI unwraps to the same bytes', async () => {
    const { identityFile, recipient } = ageKeygen();
    const dataKey = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
    const armored = await encryptAgeKey(dataKey, recipient);
    const unwrapped = execFileSync('age', ['--decrypt', '-i', identityFile], { input: armored });
    assert.deepEqual(unwrapped, dataKey);
  });

  it('decrypts a file encrypted for a recipient made by age-keygen, with SOPS_AGE_KEY_FILE', async () => {
    const { identityFile, recipient } = ageKeygen();
    const ciphertext = await encryptText('a: b\n', 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), env: isolatedEnv() });
    const back = await decryptText(ciphertext, 'yaml', { env: isolatedEnv({ SOPS_AGE_KEY_FILE: identityFile }) });
    assert.equal(back.plaintext, 'a: b\n');
  });
});
