// Shamir sharing of the data key, in sops's share layout ([y..., x]).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { combineShares, splitSecret } from '../../../../src/core/sops/keys/shamir';

describe('Shamir secret sharing (GF(256), sops share format)', () => {
  it('recovers the secret from any threshold-sized subset of shares', () => {
    const secret = randomBytes(32);
    const shares = splitSecret(secret, 5, 3);
    assert.ok(shares.every((s) => s.length === 33 && s[32] >= 1));
    for (const subset of [[0, 1, 2], [1, 3, 4], [0, 2, 4], [0, 1, 2, 3, 4]]) {
      assert.deepEqual(combineShares(subset.map((i) => shares[i])), secret);
    }
  });

  it('does not recover the secret from fewer shares than the threshold', () => {
    const secret = randomBytes(32);
    const shares = splitSecret(secret, 3, 3);
    assert.notDeepEqual(combineShares(shares.slice(0, 2)), secret);
  });

  it('combines a share set computed by hand with the Vault/sops field (x^8+x^4+x^3+x+1)', () => {
    // f(x) = 0x42 + 0x07·x over GF(2^8): f(1) = 0x45, f(2) = 0x42 ^ 0x0e = 0x4c
    assert.deepEqual(combineShares([Buffer.from([0x45, 1]), Buffer.from([0x4c, 2])]), Buffer.from([0x42]));
  });

  it('rejects duplicate shares', () => {
    const shares = splitSecret(randomBytes(4), 3, 2);
    assert.throws(() => combineShares([shares[0], shares[0]]), /duplicate share/);
  });
});
