// Whether downloaded bytes are a chart archive helm can load: gzip that holds a tar with `<chart>/Chart.yaml`.
// Checked before the archive enters the cache, so a truncated download or an HTML error page served with 200
// fails naming the chart and its URL instead of poisoning the cache or surfacing as helm's bare gzip error.
// The same tar reading gives the files of an archive (a chart's own values files, source-controller's valuesFiles).
import { gunzipSync } from 'node:zlib';

const BLOCK = 512;

interface TarEntry {
  name: string;
  /** `0` (or NUL) for a regular file, `5` a folder, `x` / `g` PAX headers, `L` a GNU long name. */
  type: string;
  data: Buffer;
}

/** The entries of a tar, names as written (ustar prefix, PAX `path` and GNU long names applied); throws on a malformed header. */
function* tarEntries(tar: Buffer): Generator<TarEntry> {
  let longName: string | undefined;
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return; // end of archive
    const prefix = cString(header.subarray(345, 500));
    const size = parseInt(cString(header.subarray(124, 136)).trim() || '0', 8);
    if (Number.isNaN(size)) throw new Error('not a tar archive inside the gzip');
    const type = String.fromCharCode(header[156] || 48);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1] ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = cString(data);
      continue;
    }
    if (type === 'g') continue;
    const name = longName ?? (prefix ? `${prefix}/${cString(header.subarray(0, 100))}` : cString(header.subarray(0, 100)));
    longName = undefined;
    yield { name, type, data };
  }
}

/** Why `data` is not a chart archive, or undefined when it is one. */
export function chartArchiveProblem(data: Buffer): string | undefined {
  let tar: Buffer;
  try {
    tar = gunzipSync(data);
  } catch (error) {
    return `not a gzip archive (${(error as Error).message})`;
  }
  try {
    for (const entry of tarEntries(tar)) if (/^[^/]+\/Chart\.yaml$/.test(entry.name)) return undefined;
  } catch (error) {
    return (error as Error).message;
  }
  return 'no Chart.yaml in the archive';
}

/** The regular files of a chart archive, by their path inside the chart folder (`values.yaml`, `templates/x.yaml`). */
export function chartArchiveFiles(data: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of tarEntries(gunzipSync(data))) {
    if (entry.type !== '0') continue;
    const inside = entry.name.replace(/^\.?\/*/, '').split('/').slice(1).join('/');
    if (inside !== '' && !inside.split('/').includes('..')) files.set(inside, entry.data);
  }
  return files;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8');
}
