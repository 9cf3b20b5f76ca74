// The chart cache keeps to its size limit by dropping the archives used longest ago, never the one just stored.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { SourceCache } from '../../../src/core/sources/sourceCache';
import { tempFolder } from '../../support/chartRepository';

describe('SourceCache', () => {
  let root: string;
  beforeEach(async () => { root = await tempFolder('driftline-cache-limit-'); });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('drops the least recently used archives past its size limit', async () => {
    const cache = new SourceCache(root, 2500);
    const first = await cache.storeArchive(randomBytes(1000));
    const second = await cache.storeArchive(randomBytes(1000));
    // Using the first makes the second the one used longest ago.
    const past = new Date(Date.now() - 60_000);
    await fs.utimes(second.file, past, past);
    assert.ok(await cache.archive(first.digest));
    const third = await cache.storeArchive(randomBytes(1000));
    assert.ok(await cache.archive(first.digest), 'recently used: kept');
    assert.equal(await cache.archive(second.digest), undefined, 'used longest ago: dropped');
    assert.ok(await cache.archive(third.digest), 'just stored: kept');
  });
});
