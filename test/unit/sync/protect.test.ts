import assert from 'node:assert/strict';
import { assertConfirmed, isConfirmed } from '../../../src/core/sync/protect';

describe('core/sync protected environments', () => {
  const production = { name: 'production', protected: true };

  it('needs the exact environment name for a protected environment', () => {
    assert.equal(isConfirmed(production, 'production'), true);
    assert.equal(isConfirmed(production, 'Production'), false);
    assert.equal(isConfirmed(production, undefined), false);
  });

  it('needs nothing for an unprotected one', () => {
    assert.equal(isConfirmed({ name: 'dev', protected: false }, undefined), true);
  });

  it('says what to type and that nothing changed', () => {
    assert.throws(() => assertConfirmed(production, 'prod', 'syncing app shop'),
      /Environment production is protected: syncing app shop needs confirmation by typing the environment's name \("prod" does not match\)\. Nothing was changed\./);
  });
});
