import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { appHistory } from '../../../src/core/git';
import { buildAppHistory, AppHistoryFixture } from './appFixture';
import { GitFixture, makeGitFixture } from './gitFixture';

describe('core/git appHistory', () => {
  let repo: GitFixture;
  let app: AppHistoryFixture;
  beforeEach(() => {
    repo = makeGitFixture();
    app = buildAppHistory(repo);
  });
  afterEach(() => repo.cleanup());

  it('lists only the commits that touched the app\'s files, bases included, newest first', async () => {
    const history = await appHistory(repo.root, app.appPaths);
    assert.deepEqual(
      history.map((c) => c.message),
      ['podinfo: 6.5.0', 'podinfo staging: label, and a README line', 'podinfo: two replicas', 'Add podinfo and redis'],
    );
    assert.deepEqual(history.map((c) => c.sha), [app.image, app.stagingAndReadme, app.replicas, app.add]);
  });

  it('gives short sha, author, date and the files changed, separating the app\'s own', async () => {
    const [, staging] = await appHistory(repo.root, app.appPaths);
    assert.ok(staging);
    assert.equal(staging.shortSha, app.stagingAndReadme.slice(0, staging.shortSha.length));
    assert.ok(staging.shortSha.length >= 7);
    assert.equal(staging.author, 'Ada Author');
    assert.equal(staging.authorEmail, 'ada@example.com');
    assert.ok(!Number.isNaN(Date.parse(staging.date)), `date ${staging.date} parses`);
    assert.deepEqual(staging.files.sort(), ['README.md', 'apps/staging/podinfo/kustomization.yaml']);
    assert.deepEqual(staging.appFiles, ['apps/staging/podinfo/kustomization.yaml']);
  });

  it('accepts folders and repo-relative paths, and honours maxCount', async () => {
    const history = await appHistory(path.join(repo.root, 'apps'), ['apps/base/redis'], { maxCount: 1 });
    assert.deepEqual(history.map((c) => c.message), ['redis: 7.2']);
  });

  it('refuses a path outside the repository, naming it', async () => {
    await assert.rejects(appHistory(repo.root, ['/etc/passwd']), /\/etc\/passwd is outside the repository/);
  });
});
