// Whether downloaded bytes are a chart archive helm can load: gzip that holds a tar with `<chart>/Chart.yaml`.
// Checked before the archive enters the cache, so a truncated download or an HTML error page served with 200
// fails naming the chart and its URL instead of poisoning the cache or surfacing as helm's bare gzip error.
import { gunzipSync } from 'node:zlib';

const BLOCK = 512;

/** Why `data` is not a chart archive, or undefined when it is one. */
export function chartArchiveProblem(data: Buffer): string | undefined {
  let tar: Buffer;
  try {
    tar = gunzipSync(data);
  } catch (error) {
    return `not a gzip archive (${(error as Error).message})`;
  }
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break; // end of archive
    const name = cString(header.subarray(345, 500)) ? `${cString(header.subarray(345, 500))}/${cString(header.subarray(0, 100))}` : cString(header.subarray(0, 100));
    const size = parseInt(cString(header.subarray(124, 136)).trim() || '0', 8);
    if (Number.isNaN(size)) return 'not a tar archive inside the gzip';
    if (/^[^/]+\/Chart\.yaml$/.test(name)) return undefined;
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return 'no Chart.yaml in the archive';
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8');
}
