// The Git cache's size limit on real folders: entries go in order of last use, whole, until the rest fits.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { enforceGitCacheLimit, markUsed } from '../../../src/core/sources/gitCacheLimit';

describe('Git cache size limit', () => {
  let root: string;

  beforeEach(async () => { root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-git-limit-')); });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  /** An entry of 1000 bytes in files, last used `minutesAgo`. */
  async function entry(kind: string, name: string, minutesAgo: number): Promise<string> {
    const folder = path.join(root, kind, name);
    await fs.mkdir(path.join(folder, 'sub'), { recursive: true });
    await fs.writeFile(path.join(folder, 'sub', 'file'), Buffer.alloc(1000));
    const when = new Date(Date.now() - minutesAgo * 60_000);
    await fs.utimes(folder, when, when);
    return folder;
  }

  it('removes the entries used longest ago until the cache fits, whatever their kind', async () => {
    const oldest = await entry('checkouts', 'a', 30);
    const middle = await entry('repositories', 'b.git', 20);
    const newest = await entry('artifacts', 'c', 10);
    await enforceGitCacheLimit(root, 2000, []);
    const present = async (folder: string) => fs.stat(folder).then(() => true, () => false);
    assert.deepEqual([await present(oldest), await present(middle), await present(newest)], [false, true, true]);
  });

  it('counts a use: an entry used again outlives one used since it was made', async () => {
    const reused = await entry('checkouts', 'a', 30);
    const other = await entry('checkouts', 'b', 20);
    await markUsed(reused);
    await enforceGitCacheLimit(root, 1000, []);
    assert.equal(await fs.stat(reused).then(() => true, () => false), true);
    assert.equal(await fs.stat(other).then(() => true, () => false), false);
  });

  it('never removes what the caller keeps, nor folders being made', async () => {
    const kept = await entry('checkouts', 'a', 30);
    const making = await entry('checkouts', 'b.1234.tmp', 40);
    await enforceGitCacheLimit(root, 0, [kept]);
    assert.equal(await fs.stat(kept).then(() => true, () => false), true);
    assert.equal(await fs.stat(making).then(() => true, () => false), true);
  });
});
