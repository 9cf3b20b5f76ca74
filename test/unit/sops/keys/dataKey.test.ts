// Key groups: with several groups the data key is split with Shamir and any threshold of groups opens it.
import assert from 'node:assert/strict';
import { decryptText, encryptText, SopsError } from '../../../../src/core/sops';
import { MasterKey } from '../../../../src/core/sops/metadata';
import { isolatedEnv, newAgeIdentity } from '../../../support/sops';

describe('sops key groups and Shamir threshold', () => {
  it('opens a 3-group file with any 2 groups\' identities and refuses with 1', async () => {
    const people = await Promise.all([newAgeIdentity(), newAgeIdentity(), newAgeIdentity()]);
    const keyGroups: MasterKey[][] = people.map((p) => [{ type: 'age', recipient: p.recipient, enc: '' }]);
    const ciphertext = await encryptText('token: abc\n', 'yaml', { keyGroups, shamirThreshold: 2, env: isolatedEnv() });
    assert.match(ciphertext, /^ {2}shamir_threshold: 2$/m);
    assert.equal(ciphertext.match(/^ {6}- recipient:|^ {4}- age:/gm)?.length, 3);
    for (const pair of [[0, 1], [1, 2], [0, 2]]) {
      const { plaintext } = await decryptText(ciphertext, 'yaml', { ageIdentities: pair.map((i) => people[i].identity), env: isolatedEnv() });
      assert.equal(plaintext, 'token: abc\n');
    }
    await assert.rejects(decryptText(ciphertext, 'yaml', { ageIdentities: [people[0].identity], fileName: 'groups.yaml', env: isolatedEnv() }),
      (err: unknown) => err instanceof SopsError && err.code === 'wrong-key' && /groups\.yaml: .*1 of 2 key groups unlocked/.test(err.message));
  });
});
