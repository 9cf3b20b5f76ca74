// The Git fetcher against a real git daemon on loopback: each ref form Flux and Argo CD write resolves to the
// commit the controllers would check out, shallow, into a checkout named by the commit; a ref the remote lacks
// fails naming the URL and the ref; with the server gone, the commit fetched before is used and says so.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchGit } from '../../../src/core/sources/gitFetch';
import { SourceCache } from '../../../src/core/sources/sourceCache';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { git, makeRemote, serveGit, type GitServer } from '../../support/gitServer';

/** Commits one file in `work` on its current branch; returns the commit. */
function makeCommit(work: string, file: string, text: string): string {
  writeFileSync(path.join(work, file), text);
  git(work, 'commit', '--quiet', '-am', `change ${file}`);
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: work, encoding: 'utf8' }).trim();
}

describe('Git sources fetched from a git daemon', function () {
  this.timeout(60_000);
  let base: string;
  let cacheRoot: string;
  let server: GitServer;
  const commits: Record<string, string> = {};
  let work: string;

  before(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-git-remotes-'));
    cacheRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-git-cache-'));
    const remote = await makeRemote(base, 'apps');
    work = remote.work;
    commits.first = remote.commit({ 'app/cm.yaml': 'version: 1\n' }, 'first');
    git(work, 'tag', 'v1.0.0');
    commits.second = remote.commit({ 'app/cm.yaml': 'version: 1.4\n' }, 'second');
    git(work, 'tag', '-a', '-m', 'annotated', 'v1.4.2');
    commits.third = remote.commit({ 'app/cm.yaml': 'version: 2\n', 'app/secret.png': 'x', 'app/.sourceignore': 'drop.yaml\n', 'app/drop.yaml': 'a: b\n' }, 'third');
    git(work, 'tag', 'v2.0.0');
    git(work, 'branch', 'stable', commits.first);
    git(work, 'push', '--quiet', 'origin', 'main', 'stable', '--tags');
    server = await serveGit(base);
  });

  after(async () => {
    await server.stop();
    await Promise.all([base, cacheRoot, work].map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  const context = () => ({ cache: new SourceCache(cacheRoot), env: process.env });
  const read = (folder: string) => fs.readFile(path.join(folder, 'app/cm.yaml'), 'utf8');

  it('checks out a branch head, a tag (annotated too), the highest tag a semver range matches, and a commit', async () => {
    const main = await fetchGit({ url: server.url('apps'), ref: { branch: 'main' } }, context());
    assert.equal(main.commit, commits.third);
    assert.equal(await read(main.folder), 'version: 2\n');
    assert.equal((await fetchGit({ url: server.url('apps'), ref: { branch: 'stable' } }, context())).commit, commits.first);
    assert.equal((await fetchGit({ url: server.url('apps'), ref: { tag: 'v1.4.2' } }, context())).commit, commits.second);
    const semver = await fetchGit({ url: server.url('apps'), ref: { semver: '>=1.0.0 <2.0.0' } }, context());
    assert.equal(semver.commit, commits.second);
    assert.equal(await read(semver.folder), 'version: 1.4\n');
    assert.equal((await fetchGit({ url: server.url('apps'), ref: { commit: commits.first } }, context())).commit, commits.first);
    assert.equal((await fetchGit({ url: server.url('apps'), ref: { revision: 'stable' } }, context())).commit, commits.first);
    assert.equal((await fetchGit({ url: server.url('apps'), ref: {} }, context())).commit, commits.third, 'Argo CD HEAD is the default branch');
  });

  it('leaves out what the default exclusions, .sourceignore and spec.ignore leave out, and keeps the files read-only', async () => {
    const fetched = await fetchGit({ url: server.url('apps'), ref: { branch: 'main' }, ignore: 'cm.yaml\n!app/cm.yaml\n' }, context());
    const files = (await fs.readdir(path.join(fetched.folder, 'app'))).sort();
    assert.deepEqual(files, ['.sourceignore', 'cm.yaml']);
    assert.equal((await fs.stat(path.join(fetched.folder, 'app/cm.yaml'))).mode & 0o222, 0, 'no write permission');
  });

  it('fails naming the URL and the ref when the remote has no such branch or no tag in the range', async () => {
    await assert.rejects(fetchGit({ url: server.url('apps'), ref: { branch: 'nope' } }, context()),
      (error: Error) => error.message.includes(server.url('apps')) && /couldn't find remote ref refs\/heads\/nope/.test(error.message));
    await assert.rejects(fetchGit({ url: server.url('apps'), ref: { semver: '>=3.0.0' } }, context()),
      (error: Error) => error.message.includes(server.url('apps')) && error.message.includes('>=3.0.0') && error.message.includes('v2.0.0'));
  });

  it('asks the remote first: a branch that did not move is not fetched again, one that moved is', async () => {
    const url = server.url('apps');
    const first = await fetchGit({ url, ref: { branch: 'stable' } }, context());
    const bare = path.join(cacheRoot, 'git', 'repositories');
    await fs.rm(bare, { recursive: true, force: true });
    const again = await fetchGit({ url, ref: { branch: 'stable' } }, context());
    assert.equal(again.commit, first.commit);
    assert.equal(await fs.stat(bare).then(() => true, () => false), false, 'no fetch for a commit already checked out');
    git(work, 'checkout', '--quiet', 'stable');
    const moved = makeCommit(work, 'app/cm.yaml', 'version: 1.1\n');
    git(work, 'push', '--quiet', 'origin', 'stable');
    git(work, 'checkout', '--quiet', 'main');
    const after = await fetchGit({ url, ref: { branch: 'stable' } }, context());
    assert.equal(after.commit, moved);
    assert.equal(await read(after.folder), 'version: 1.1\n');
  });

  it('keeps the Git cache under its size limit, dropping what was used longest ago but never what it just fetched', async () => {
    const limited = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-git-limited-'));
    try {
      const small = () => ({ cache: new SourceCache(limited, undefined, 1), env: process.env });
      const old = await fetchGit({ url: server.url('apps'), ref: { tag: 'v1.0.0' } }, small());
      const fresh = await fetchGit({ url: server.url('apps'), ref: { tag: 'v2.0.0' } }, small());
      assert.equal(await read(fresh.folder), 'version: 2\n');
      assert.equal(await fs.stat(old.folder).then(() => true, () => false), false, 'the older artifact is evicted');
      assert.deepEqual(await fs.readdir(path.join(limited, 'git', 'checkouts')), [fresh.commit]);
    } finally {
      await fs.rm(limited, { recursive: true, force: true });
    }
  });

  it('uses the commit fetched before when the server is gone, and says so', async () => {
    const url = server.url('apps');
    await fetchGit({ url, ref: { tag: 'v1.0.0' } }, context());
    await server.stop();
    try {
      const fetched = await fetchGit({ url, ref: { tag: 'v1.0.0' } }, context());
      assert.equal(fetched.commit, commits.first);
      assert.match(fetched.note ?? '', new RegExp(`^Git ${url.replace(/\./g, '\\.')} tag v1\\.0\\.0 at ${commits.first.slice(0, 7)} from cache, fetched just now \\(.*(refused|unable to connect)`, 'i'));
      await assert.rejects(fetchGit({ url, ref: { tag: 'v2.0.0' } }, context()), (error: Error) => error.message.includes(url));
    } finally {
      server = await serveGit(base);
    }
  });
});
