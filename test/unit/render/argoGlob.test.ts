import assert from 'node:assert/strict';
import { argoGlobMatcher } from '../../../src/core/render/argoGlob';

describe('Argo CD directory globs (gobwas/glob without separators)', () => {
  const matches = (pattern: string, candidates: string[]) => candidates.filter(argoGlobMatcher(pattern));

  it('lets * cross folders, ? match one character, classes and negated classes', () => {
    assert.deepEqual(matches('*.yaml', ['a.yaml', 'sub/b.yaml', 'c.yml']), ['a.yaml', 'sub/b.yaml']);
    assert.deepEqual(matches('sub/**', ['sub/a.yaml', 'sub/deep/b.json', 'other/c.yaml']), ['sub/a.yaml', 'sub/deep/b.json']);
    assert.deepEqual(matches('?.json', ['a.json', 'ab.json']), ['a.json']);
    assert.deepEqual(matches('[ab].yaml', ['a.yaml', 'c.yaml']), ['a.yaml']);
    assert.deepEqual(matches('[!ab].yaml', ['a.yaml', 'c.yaml']), ['c.yaml']);
    assert.deepEqual(matches('[a-c]x.yaml', ['bx.yaml', 'dx.yaml']), ['bx.yaml']);
  });

  it('matches {a,b} alternatives, nested and with wildcards; a backslash escapes', () => {
    assert.deepEqual(matches('{config.json,*.jsonnet}', ['config.json', 'main.jsonnet', 'other.json']), ['config.json', 'main.jsonnet']);
    assert.deepEqual(matches('{a,b{1,2}}.yaml', ['a.yaml', 'b1.yaml', 'b2.yaml', 'b3.yaml']), ['a.yaml', 'b1.yaml', 'b2.yaml']);
    assert.deepEqual(matches('\\*.yaml', ['*.yaml', 'a.yaml']), ['*.yaml']);
    assert.deepEqual(matches('a.b', ['a.b', 'axb']), ['a.b'], 'a dot is a dot');
  });

  it('matches nothing for a pattern that does not compile (an unclosed class or alternative), as Argo CD', () => {
    assert.deepEqual(matches('[ab.yaml', ['a.yaml', '[ab.yaml']), []);
    assert.deepEqual(matches('{a,b.yaml', ['a', 'b.yaml']), []);
  });
});
