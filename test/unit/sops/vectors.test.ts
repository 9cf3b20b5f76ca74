// Conformance with files written by the real sops: every vector's values, comments and MAC, checked at the
// value layer with the vector's data key (no gpg needed), and end to end for the age vectors.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { decryptFile } from '../../../src/core/sops';
import { decryptAgeKey } from '../../../src/core/sops/keys/age';
import { openMac } from '../../../src/core/sops/mac';
import { loadEncrypted } from '../../../src/core/sops/open';
import { macBytes, walkBranches } from '../../../src/core/sops/tree';
import { decryptBranches } from '../../../src/core/sops/treeCipher';
import { describeWithShared } from '../../support/shared';
import { AGE_KEYS_FILE, expectationFor, isolatedEnv, plaintextData, removeTempDirs, vectorPath } from '../../support/sops';

const VECTORS = ['age/example.yaml', 'age/example.ini', 'pgp/example.json', 'pgp/example.txt', 'pgp/format.enc.yaml',
  'pgp/format.enc.env', 'pgp/format.enc.ini', 'pgp/comments.enc.yaml', 'pgp/no_mac.yaml'];

describeWithShared('sops-vectors', 'sops conformance vectors (value layer, with each vector\'s data key)', () => {
  for (const vector of VECTORS) {
    it(`${vector}: decrypts every value and comment with its AAD path and reproduces the MAC sops stored`, () => {
      const expected = expectationFor(vector);
      const { doc, metadata } = loadEncrypted(fs.readFileSync(vectorPath(vector), 'utf8'), expected.format, vector);
      const dataKey = Buffer.from(expected.dataKeyHex, 'hex');
      const mac = decryptBranches(doc.branches, { dataKey, rules: metadata, file: vector });
      const leaves: Array<{ aad: string; macBytes: string }> = [];
      const comments: Array<[string, string]> = [];
      walkBranches(doc.branches, ({ leaf, path }) => {
        const aad = path.join(':') + ':';
        if (leaf.kind === 'comment') comments.push([aad, leaf.text]);
        else leaves.push({ aad, macBytes: macBytes(leaf.value) });
      });
      assert.deepEqual(leaves, expected.leavesInMacOrder.map(({ aad, macBytes: bytes }) => ({ aad, macBytes: bytes })));
      assert.deepEqual(comments, expected.comments);
      if (expected.macVerified) {
        assert.equal(mac, expected.fileMac);
        assert.equal(openMac(metadata.mac!, dataKey, metadata.lastmodified), expected.fileMac);
      } else {
        assert.equal(metadata.mac, undefined, 'no_mac.yaml has no MAC');
      }
      assert.deepEqual(plaintextData(doc.emit(), expected.format), expected.plaintext);
    });
  }
});

describeWithShared('sops-vectors', 'sops conformance vectors (age, end to end)', () => {
  after(removeTempDirs);

  for (const vector of ['age/example.yaml', 'age/example.ini']) {
    for (const which of [0, 1]) {
      it(`${vector} decrypts with age identity ${which + 1} of 2 alone, MAC verified`, async () => {
        const identity = fs.readFileSync(AGE_KEYS_FILE, 'utf8').split('\n').filter((l) => l.startsWith('AGE-SECRET-KEY-'))[which];
        const expected = expectationFor(vector);
        const result = await decryptFile(vectorPath(vector), { env: isolatedEnv({ SOPS_AGE_KEY: identity }) });
        assert.deepEqual(plaintextData(result.plaintext, expected.format), expected.plaintext);
        assert.equal(result.metadata.lastmodified, expected.lastmodified);
      });
    }
  }

  it('keeps YAML comments in place and decrypted in the plaintext', async () => {
    const result = await decryptFile(vectorPath('age/example.yaml'), { ageKeyFile: AGE_KEYS_FILE, env: isolatedEnv() });
    assert.match(result.plaintext, /password: c4r1b0u\n\s+# private key for secret operations in app2\n/);
    assert.match(result.plaintext, /# by adding the `_unencrypted` suffix/);
    assert.doesNotMatch(result.plaintext, /ENC\[|^sops:/m);
  });

  it('unwraps the data key of sops\'s age unit test (mock identity) to its 4 bytes', async () => {
    const armored = fs.readFileSync(vectorPath('age-unit', 'mock_encrypted_key.age'), 'utf8');
    const identity = fs.readFileSync(vectorPath('age-unit', 'mock_identity.txt'), 'utf8').trim();
    const key = await decryptAgeKey(armored, [identity]);
    assert.equal(key?.toString('utf8'), fs.readFileSync(vectorPath('age-unit', 'mock_encrypted_key.plain'), 'utf8'));
  });
});
