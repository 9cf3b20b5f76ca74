// Go RE2 patterns from .sops.yaml match as sops (Go) matches them, in linear time.
import assert from 'node:assert/strict';
import { compileGoRegex } from '../../../src/core/sops/goRegex';

const re = (pattern: string) => compileGoRegex(pattern, 'test');

describe('Go RE2 patterns', () => {
  it('matches anywhere in the text, as Go MatchString does, with flags leading or scoped', () => {
    assert.ok(re('ata').test('data'));
    assert.ok(re('(?i)secret\\.yaml$').test('prod/SECRET.YAML'));
    const mid = re('^prod/(?i)secret');
    assert.ok(mid.test('prod/SeCrEt'));
    assert.ok(!mid.test('PROD/secret'));
    const scoped = re('^(?i:dev|prod)/app$');
    assert.ok(scoped.test('DEV/app'));
    assert.ok(!scoped.test('dev/APP'));
  });

  it('knows RE2 syntax JavaScript lacks: (?P<name>...), \\A, \\z, \\Q...\\E, POSIX classes, (?U)', () => {
    assert.ok(re('^(?P<env>[a-z]+)/').test('prod/x'));
    assert.ok(re('\\Asecrets/.*\\.yaml\\z').test('secrets/a.yaml'));
    assert.ok(!re('secrets\\z').test('secrets\n'));
    assert.ok(re('^\\Q*.yaml\\E$').test('*.yaml'));
    assert.ok(!re('^\\Q*.yaml\\E$').test('a.yaml'));
    assert.ok(re('^[[:alpha:]]+[[:digit:]]$').test('abc1'));
    assert.ok(re('(?U)^a+$').test('aaa'));
  });

  it('answers at once for a pattern that makes a backtracking engine hang: (a+)+$ on a long key', () => {
    // With a JavaScript RegExp this never returned (the suite's timeout failed it).
    assert.equal(re('(a+)+$').test(`${'a'.repeat(100_000)}b`), false);
  });

  it('refuses a pattern RE2 does not accept, naming the pattern and where it came from', () => {
    assert.throws(() => compileGoRegex('^(?=secret)', '.sops.yaml: creation rule 2 path_regex'), /creation rule 2 path_regex: invalid regular expression \^\(\?=secret\): .*unsupported Perl syntax/);
    assert.throws(() => compileGoRegex('data(', '.sops.yaml: creation rule 1 encrypted_regex'), /creation rule 1 encrypted_regex: invalid regular expression data\(: .*missing closing \)/);
  });
});
