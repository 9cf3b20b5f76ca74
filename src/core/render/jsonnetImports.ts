// The files a jsonnet evaluation reads, found without running it: Jsonnet allows only literal import paths
// (`import 'x.libsonnet'`, `importstr`, `importbin`), so reading the sources finds them all. Each is looked up the
// way jsonnet does: beside the importing file, then in the library folders, the last given first. An import in a
// comment or a string is taken too: one input more costs a re-render, one less a stale one.
import path from 'node:path';
import type { FileReads } from './fileReads';

export interface JsonnetReads {
  /** Every file the evaluation reads (the entry files too), sorted. */
  files: string[];
  /** Folders where a file created would change what an import finds (it would come before the one found). */
  dirs: string[];
}

/** `import`, `importstr` or `importbin`, then a single- or double-quoted string, or a verbatim `@'...'` one. */
const IMPORT = /\bimport(str|bin)?\s*(@?)(["'])((?:\\[\s\S]|(?!\3)[^\\])*)\3/g;

function literal(body: string, verbatim: boolean, quote: string): string {
  if (verbatim) return body.split(quote + quote).join(quote);
  return body.replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (_match, escaped: string) => {
    if (escaped.startsWith('u') && escaped.length === 5) return String.fromCharCode(parseInt(escaped.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[escaped] ?? escaped;
  });
}

/** Where jsonnet looks for `imported` from `importer`, in order. */
function candidates(importer: string, imported: string, jpaths: string[]): string[] {
  if (path.isAbsolute(imported)) return [imported];
  return [path.dirname(importer), ...[...jpaths].reverse()].map((dir) => path.resolve(dir, imported));
}

/** The files `entries` read through their imports, following jsonnet sources (not `importstr`/`importbin` data). */
export async function jsonnetReads(entries: string[], jpaths: string[], reads: FileReads): Promise<JsonnetReads> {
  const files = new Set<string>();
  const scanned = new Set<string>();
  const dirs = new Set<string>();
  const pending = entries.map((entry) => ({ file: entry, source: true }));
  while (pending.length > 0) {
    const { file, source } = pending.pop()!;
    files.add(file);
    if (!source || scanned.has(file)) continue;
    scanned.add(file);
    let text: string;
    try {
      text = await reads.readText(file);
    } catch {
      continue; // jsonnet says it cannot read it
    }
    for (const match of text.matchAll(IMPORT)) {
      const imported = literal(match[4], match[2] === '@', match[3]);
      for (const candidate of candidates(file, imported, jpaths)) {
        dirs.add(path.dirname(candidate));
        if ((await reads.stat(candidate))?.isFile()) {
          pending.push({ file: candidate, source: match[1] === undefined });
          break;
        }
      }
    }
  }
  return { files: [...files].sort(), dirs: [...dirs].sort() };
}
