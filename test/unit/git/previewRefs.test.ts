// What Preview Branch... offers, read from a real repository: local branches, remote-tracking branches (not
// origin/HEAD itself), GitHub and GitLab request heads fetched locally, and the default base.
import * as assert from 'node:assert/strict';
import { listPreviewRefs } from '../../../src/core/git/previewRefs';
import { makeGitFixture, type GitFixture } from '../../integration/git/gitFixture';

describe('core/git listPreviewRefs', function () {
  this.timeout(30_000);
  let repo: GitFixture;
  beforeEach(() => {
    repo = makeGitFixture();
    repo.commit('first', { 'a.yaml': 'a: 1\n' });
  });
  afterEach(() => repo.cleanup());

  it('lists local and remote branches and pull/merge request heads; the base is the branch origin/HEAD points at', async () => {
    repo.git('branch', 'feature/x');
    repo.git('push', '--quiet', 'origin', 'main', 'feature/x:feature/y');
    repo.git('fetch', '--quiet', 'origin');
    repo.git('remote', 'set-head', 'origin', 'main');
    repo.git('update-ref', 'refs/pull/12/head', 'HEAD');
    repo.git('update-ref', 'refs/merge-requests/7/head', 'HEAD');
    const refs = await listPreviewRefs(repo.root);
    assert.deepEqual(refs.refs.map((ref) => `${ref.kind} ${ref.name}`).sort(), [
      'local feature/x', 'local main', 'pull-request refs/merge-requests/7/head', 'pull-request refs/pull/12/head', 'remote origin/feature/y', 'remote origin/main',
    ]);
    assert.equal(refs.defaultBase, 'origin/main');
    assert.equal(refs.current, 'main');
    assert.equal(refs.refs.find((ref) => ref.name === 'main')?.subject, 'first');
  });

  it('falls back to main without origin/HEAD, and to none without main or master', async () => {
    assert.equal((await listPreviewRefs(repo.root)).defaultBase, 'main');
    repo.git('branch', '-m', 'main', 'trunk');
    const refs = await listPreviewRefs(repo.root);
    assert.equal(refs.defaultBase, undefined);
    assert.equal(refs.current, 'trunk');
  });
});
