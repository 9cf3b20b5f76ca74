import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { normalizeGitURL, RepoIdentity } from '../../../src/core/discovery/repoIdentity';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

describe('RepoIdentity', () => {
  after(removeTempRepos);

  it('spells one repository the same over https, ssh and scp-like URLs', () => {
    const expected = 'github.com/acme/gitops';
    for (const url of ['https://github.com/acme/gitops', 'https://user@GitHub.com/acme/gitops.git', 'ssh://git@github.com:22/acme/gitops.git',
      'git@github.com:acme/gitops.git', 'https://github.com/acme/gitops/']) {
      assert.equal(normalizeGitURL(url), expected, url);
    }
    assert.notEqual(normalizeGitURL('https://github.com/acme/other'), expected);
  });

  it('knows the repo by its git remotes and by configured URLs', async () => {
    const root = await writeRepo({ 'README.md': 'x\n' });
    execFileSync('git', ['init', '-q', root]);
    execFileSync('git', ['-C', root, 'remote', 'add', 'origin', 'git@github.com:acme/gitops.git']);
    const identity = await RepoIdentity.of(root, ['https://gitlab.example.com/mirror/gitops']);
    assert.ok(identity.isThisRepo('https://github.com/acme/gitops'));
    assert.ok(identity.isThisRepo('https://gitlab.example.com/mirror/gitops.git'));
    assert.ok(!identity.isThisRepo('https://github.com/argoproj/argocd-example-apps'));
    assert.ok(!identity.isThisRepo(undefined));
  });
});
