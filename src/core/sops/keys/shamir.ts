// Shamir's secret sharing over GF(2^8) exactly as sops's shamir package (from HashiCorp Vault): the AES field
// (x^8 + x^4 + x^3 + x + 1) with log/exp tables of generator 3, one random polynomial per secret byte, each
// share laid out as [y_1 ... y_n, x] with distinct random x in 1..255.
import { randomBytes, randomInt } from 'node:crypto';

const EXP = new Uint8Array(255);
const LOG = new Uint8Array(256);
(() => {
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    // multiply by the generator 3: x*2 (reduced) xor x
    const doubled = (x << 1) ^ (x & 0x80 ? 0x11b : 0);
    x = (doubled ^ x) & 0xff;
  }
})();

function mult(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[(LOG[a] + LOG[b]) % 255];
}

function div(a: number, b: number): number {
  if (b === 0) throw new Error('Shamir: division by zero (duplicate share)');
  if (a === 0) return 0;
  return EXP[(LOG[a] - LOG[b] + 255) % 255];
}

export function splitSecret(secret: Buffer, parts: number, threshold: number): Buffer[] {
  if (parts < threshold) throw new Error('Shamir: parts cannot be less than the threshold');
  if (parts > 255 || threshold > 255) throw new Error('Shamir: at most 255 parts');
  if (threshold < 2) throw new Error('Shamir: the threshold must be at least 2');
  if (secret.length === 0) throw new Error('Shamir: cannot split an empty secret');
  const xs = shuffledXs().slice(0, parts);
  const shares = xs.map((x) => {
    const share = Buffer.alloc(secret.length + 1);
    share[secret.length] = x;
    return share;
  });
  for (let byte = 0; byte < secret.length; byte++) {
    const coefficients = [secret[byte], ...randomBytes(threshold - 1)];
    shares.forEach((share, i) => {
      let y = coefficients[coefficients.length - 1];
      for (let c = coefficients.length - 2; c >= 0; c--) y = mult(y, xs[i]) ^ coefficients[c];
      share[byte] = y;
    });
  }
  return shares;
}

export function combineShares(shares: Buffer[]): Buffer {
  if (shares.length < 2) throw new Error('Shamir: at least two shares are needed');
  const length = shares[0].length;
  if (length < 2 || shares.some((s) => s.length !== length)) throw new Error('Shamir: shares differ in length');
  const xs = shares.map((s) => s[length - 1]);
  if (new Set(xs).size !== xs.length) throw new Error('Shamir: duplicate share');
  const secret = Buffer.alloc(length - 1);
  for (let byte = 0; byte < secret.length; byte++) {
    let result = 0;
    for (let i = 0; i < shares.length; i++) {
      let basis = 1;
      for (let j = 0; j < shares.length; j++) if (i !== j) basis = mult(basis, div(xs[j], xs[i] ^ xs[j]));
      result ^= mult(shares[i][byte], basis);
    }
    secret[byte] = result;
  }
  return secret;
}

function shuffledXs(): number[] {
  const xs = Array.from({ length: 255 }, (_, i) => i + 1);
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}
