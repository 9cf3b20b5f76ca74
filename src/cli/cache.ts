// `driftline cache clear`: empties the cache of fetched charts (shared with VS Code), e.g. after a repository
// republished a version under the same name, or to reclaim disk. `driftline cache path` prints where it is.
import { SourceCache } from '../core/sources/sourceCache';
import type { CliIO } from './io';

const USAGE = 'usage: driftline cache clear | path\n';

export async function runCache(args: string[], io: CliIO): Promise<number> {
  const cache = new SourceCache();
  if (args.length === 1 && args[0] === 'path') {
    io.stdout.write(`${cache.root}\n`);
    return 0;
  }
  if (args.length !== 1 || args[0] !== 'clear') {
    io.stderr.write(USAGE);
    return 2;
  }
  const removed = await cache.clear();
  io.stdout.write(`removed ${removed.files} file(s), ${(removed.bytes / 1024 / 1024).toFixed(1)} MiB, from ${cache.root}\n`);
  return 0;
}
