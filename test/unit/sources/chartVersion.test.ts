// Chart version selection as source-controller does it (Masterminds semver constraints): the grammar charts'
// users write, and what is never chosen.
import assert from 'node:assert/strict';
import { chooseVersion } from '../../../src/core/sources/chartVersion';

const pick = (requested: string | undefined, available: string[]) => {
  const choice = chooseVersion(requested, available, 'chart x in https://charts.example');
  return 'version' in choice ? choice.version : choice.problem;
};

describe('chooseVersion', () => {
  const versions = ['0.9.0', '1.0.0', '1.1.0', '1.1.5', '1.2.0-beta.1', '2.0.0', '2.1.0-rc.1'];

  it('reads the constraint forms charts use: ~, ^, x, hyphen ranges, ||, commas and spaces', () => {
    assert.equal(pick('~1.1', versions), '1.1.5');
    assert.equal(pick('^1.0', versions), '1.1.5');
    assert.equal(pick('1.1.x', versions), '1.1.5');
    assert.equal(pick('1.0.0 - 1.1.0', versions), '1.1.0');
    assert.equal(pick('<1.0.0 || >=2.0.0', versions), '2.0.0');
    assert.equal(pick('>= 1.0, < 1.1', versions), '1.0.0');
    assert.equal(pick('>=1.0 <1.1', versions), '1.0.0');
  });

  it('never picks a prerelease unless the constraint names one, and then across versions (not only its own)', () => {
    assert.equal(pick('>=1.2.0', versions), '2.0.0');
    assert.equal(pick('*', versions), '2.0.0');
    assert.equal(pick('>=1.0.0-0', versions), '2.1.0-rc.1');
    assert.equal(pick('~1.2.0-0', versions), '1.2.0-beta.1');
  });

  it('takes an exact string first, even one that is no semver', () => {
    assert.equal(pick('2.1.0-rc.1', versions), '2.1.0-rc.1');
    assert.equal(pick('latest', ['latest', '1.0.0']), 'latest');
  });

  it('reads published versions leniently (v prefix) and breaks ties on build metadata', () => {
    assert.equal(pick('^1.0.0', ['v1.0.0', 'v1.3.0', 'v2.0.0']), 'v1.3.0');
    assert.equal(pick('1.0.x', ['1.0.0+a', '1.0.0+b']), '1.0.0+b');
  });

  it('explains a constraint that is neither a version nor a range, and an empty repository', () => {
    assert.match(pick('>>1', versions), /version ">>1" is neither a published version nor a semver range \(versions: 2\.1\.0-rc\.1, 2\.0\.0,/);
    assert.equal(pick('1.x', []), 'chart x in https://charts.example has no versions');
  });
});
