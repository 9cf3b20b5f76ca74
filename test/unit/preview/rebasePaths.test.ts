import * as assert from 'node:assert/strict';
import { rebasePaths } from '../../../src/core/preview/rebasePaths';

describe('rebasePaths (a side\'s model and renders moved to the other checkout)', () => {
  it('moves the root and every path under it, deep, and leaves other strings alone', () => {
    const value = { root: '/repo', apps: [{ path: '/repo/apps/web', note: 'from /repo/apps', other: '/repository/x', n: 1, none: null }] };
    assert.deepEqual(rebasePaths(value, '/repo', '/tmp/wt'), {
      root: '/tmp/wt', apps: [{ path: '/tmp/wt/apps/web', note: 'from /repo/apps', other: '/repository/x', n: 1, none: null }],
    });
  });

  it('returns a copy: the original is not changed', () => {
    const value = { path: '/repo/a' };
    rebasePaths(value, '/repo', '/b');
    assert.equal(value.path, '/repo/a');
  });
});
