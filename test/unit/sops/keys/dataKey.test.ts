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

  it('refuses a file whose key groups were copied (two identical shares), naming the file, instead of crashing', async () => {
    const people = await Promise.all([newAgeIdentity(), newAgeIdentity()]);
    const keyGroups: MasterKey[][] = people.map((p) => [{ type: 'age', recipient: p.recipient, enc: '' }]);
    const ciphertext = await encryptText('token: abc\n', 'yaml', { keyGroups, shamirThreshold: 2, env: isolatedEnv() });
    // The second group's entry replaced by a copy of the first: both unwrap, to the same share.
    const groups = /^ {4}- age:\n[\s\S]*?(?=^ {4}- age:)/m.exec(ciphertext)![0];
    const copied = ciphertext.replace(/^ {4}- age:\n[\s\S]*?(?=^ {2}\w)/m, groups + groups);
    assert.notEqual(copied, ciphertext);
    await assert.rejects(decryptText(copied, 'yaml', { ageIdentities: [people[0].identity], fileName: 'copied.yaml', env: isolatedEnv() }),
      (err: unknown) => err instanceof SopsError && err.code === 'wrong-key' && /^copied\.yaml: the shares of its 2 key groups do not combine into a data key \(Shamir: duplicate share\)/.test(err.message));
  });
});
