// The repo files one status reads, each read once. Environments' overlays share their bases, and one app's
// render reads a file up to three times (walking the kustomize tree, hashing its inputs, mapping objects to
// their source lines); a status also sees each file as one consistent version. A FileReads lives for one
// status only: the next one reads the files afresh.
import { readFile, readFileSync, statSync, type Stats } from 'node:fs';
import { promisify } from 'node:util';
import { listFiles } from './listFiles';

// Repo files are small: fs.promises.readFile reads one in several round trips through the thread pool. For a
// status's ~1,700 files it took 97 ms, the callback API 27 ms, synchronous reads 10-15 ms (one file at a time, so
// the event loop is never held for long). FileReads reads synchronously; other readers use the callback API.
const readFileNow = promisify(readFile);

/** A file's text, through the faster callback API (for reads outside a status's FileReads). */
export const readTextFile = (file: string): Promise<string> => readFileNow(file, 'utf8');

export class FileReads {
  private readonly contents = new Map<string, Promise<Buffer>>();
  private readonly stats = new Map<string, Promise<Stats | undefined>>();
  private readonly listings = new Map<string, Promise<string[]>>();

  /** The file's bytes (rejects like fs.readFile when it cannot be read). */
  read(file: string): Promise<Buffer> {
    return remembered(this.contents, file, async () => readFileSync(file));
  }

  async readText(file: string): Promise<string> {
    return (await this.read(file)).toString('utf8');
  }

  /** fs.stat, or undefined when nothing can be found there. */
  stat(file: string): Promise<Stats | undefined> {
    return remembered(this.stats, file, async () => {
      try {
        return statSync(file);
      } catch {
        return undefined; // missing, or not reachable (a path through a file, no permission)
      }
    });
  }

  /** The files directly in `dir` (listFiles, not recursive). */
  filesIn(dir: string): Promise<string[]> {
    return remembered(this.listings, dir, () => listFiles(dir, false));
  }
}

/** The promise `memo` holds for `key`, made by `load` the first time (a failure is remembered too). */
export function remembered<T>(memo: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let pending = memo.get(key);
  if (!pending) {
    pending = load();
    memo.set(key, pending);
  }
  return pending;
}
