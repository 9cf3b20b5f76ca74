// The bytes a value contributes to the MAC must be exactly those sops (Go) computes.
import assert from 'node:assert/strict';
import { formatGoFloat, macBytes } from '../../../src/core/sops/tree';

describe('sops value bytes', () => {
  it('formats floats like Go\'s FormatFloat(f, \'f\', -1, 64): shortest digits, no exponent', () => {
    assert.equal(formatGoFloat(25.4), '25.4');
    assert.equal(formatGoFloat(1234568000), '1234568000');
    assert.equal(formatGoFloat(1e21), '1000000000000000000000');
    assert.equal(formatGoFloat(-1.5e22), '-15000000000000000000000');
    assert.equal(formatGoFloat(1e-7), '0.0000001');
    assert.equal(formatGoFloat(1.25e-8), '0.0000000125');
    assert.equal(formatGoFloat(Infinity), '+Inf');
    assert.equal(formatGoFloat(NaN), 'NaN');
  });

  it('feeds booleans Title-cased, as the original Python sops did', () => {
    assert.equal(macBytes({ type: 'bool', value: true }), 'True');
    assert.equal(macBytes({ type: 'bool', value: false }), 'False');
    assert.equal(macBytes({ type: 'int', value: '-42' }), '-42');
  });
});
