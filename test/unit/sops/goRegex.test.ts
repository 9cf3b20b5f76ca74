// Go RE2 patterns from .sops.yaml behave the same in JavaScript.
import assert from 'node:assert/strict';
import { compileGoRegex } from '../../../src/core/sops/goRegex';

const re = (pattern: string) => compileGoRegex(pattern, 'test');

describe('Go RE2 to JavaScript regex translation', () => {
  it('turns a leading (?i) into a case-insensitive regex', () => {
    assert.ok(re('(?i)secret\\.yaml$').test('prod/SECRET.YAML'));
  });

  it('supports (?i) in the middle and scoped (?i:...) groups by folding only that part', () => {
    const mid = re('^prod/(?i)secret');
    assert.ok(mid.test('prod/SeCrEt'));
    assert.ok(!mid.test('PROD/secret'));
    const scoped = re('^(?i:dev|prod)/app$');
    assert.ok(scoped.test('DEV/app'));
    assert.ok(!scoped.test('dev/APP'));
  });

  it('translates named groups (?P<name>...), \\A, \\z and \\Q...\\E', () => {
    assert.equal(re('^(?P<env>[a-z]+)/').exec('prod/x')?.groups?.env, 'prod');
    assert.ok(re('\\Asecrets/.*\\.yaml\\z').test('secrets/a.yaml'));
    assert.ok(!re('secrets\\z').test('secrets\n'));
    assert.ok(re('^\\Q*.yaml\\E$').test('*.yaml'));
    assert.ok(!re('^\\Q*.yaml\\E$').test('a.yaml'));
  });

  it('translates POSIX classes and folds classes under (?i)', () => {
    assert.ok(re('^[[:alpha:]]+[[:digit:]]$').test('abc1'));
    assert.ok(re('^(?i:[a-c]+)$').test('ABC'));
  });

  it('rejects ungreedy mode with a message naming the pattern and where it came from', () => {
    assert.throws(() => compileGoRegex('(?U)a+', '.sops.yaml: creation rule 2 path_regex'), /creation rule 2 path_regex.*ungreedy.*\(\?U\)a\+/);
  });
});
