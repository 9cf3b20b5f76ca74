// `driftline cache clear` empties the cache of fetched charts that `driftline status` and VS Code share.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCache } from '../../../src/cli/cache';
import { SourceCache } from '../../../src/core/sources/sourceCache';
import { packageChart, tempFolder } from '../../support/chartRepository';
import { runCommand } from './listCommands';

describe('driftline cache', () => {
  let folder: string;
  const saved = process.env.DRIFTLINE_SOURCES_CACHE;

  beforeEach(async () => {
    folder = await tempFolder('driftline-cli-cache-');
    process.env.DRIFTLINE_SOURCES_CACHE = path.join(folder, 'cache');
  });

  afterEach(async () => {
    if (saved === undefined) delete process.env.DRIFTLINE_SOURCES_CACHE;
    else process.env.DRIFTLINE_SOURCES_CACHE = saved;
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('clear removes every cached chart and says how much went', async () => {
    const archive = await fs.readFile(await packageChart(folder, 'podinfo', '1.0.0'));
    const stored = await new SourceCache().storeArchive(archive);
    const { code, stdout } = await runCommand(runCache, ['clear']);
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`^removed 1 file\\(s\\), 0\\.0 MiB, from ${path.join(folder, 'cache')}\\n$`));
    await assert.rejects(fs.stat(stored.file), { code: 'ENOENT' });
  });

  it('path prints where the cache is; anything else is a usage error', async () => {
    assert.deepEqual(await runCommand(runCache, ['path']), { code: 0, stdout: `${path.join(folder, 'cache')}\n`, stderr: '' });
    assert.deepEqual(await runCommand(runCache, ['purge']), { code: 2, stdout: '', stderr: 'usage: driftline cache clear | path\n' });
  });
});
