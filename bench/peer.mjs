// The peer a user scripts today: `kubectl diff --server-side` over every app's overlay, one after another,
// and the per-object verdicts read from its output (the `diff -u -N LIVE/<file> MERGED/<file>` headers
// name each object that would change; per-app exit status alone cannot say which object drifted).
import { FIELD_MANAGER, keyOf } from './seed.mjs';
import { kubectl } from './kubectl.mjs';

/** kubectl's temp file name for an object: `[group.]version.Kind.namespace.name`. */
export function kubectlDiffFileName(o) {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  return `${group ? `${group}.` : ''}${version}.${o.kind}.${o.metadata.namespace ?? ''}.${o.metadata.name}`;
}

/** The object file names in a `kubectl diff` output that differ between live and merged. */
export function changedFiles(diffOutput) {
  const files = new Set();
  for (const line of diffOutput.split('\n')) {
    const header = /^diff -u -N \S*\/LIVE-[^/]+\/(\S+) \S*\/MERGED-[^/]+\/(\S+)$/.exec(line);
    if (header) files.add(header[2]);
  }
  return files;
}

export const diffArgs = (overlay) => ['diff', '--server-side', '--force-conflicts', '--field-manager', FIELD_MANAGER, '-k', overlay];

/**
 * One timed pass of the loop: every app, one `kubectl diff` at a time, as a shell `for` loop would.
 * @returns {Promise<{ ms: number, results: { app: object, code: number, stdout: string, stderr: string }[] }>}
 */
export async function kubectlDiffLoop({ kubeconfig, context, apps }) {
  const results = [];
  const start = performance.now();
  for (const app of apps) {
    // Exit 1 means "differences found"; anything above is an error, counted against the peer below.
    const result = await kubectl(diffArgs(app.overlay), { kubeconfig, context, allowExit: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255] });
    results.push({ app, ...result });
  }
  return { ms: performance.now() - start, results };
}

/**
 * kubectl's verdict per desired object: 'differs' when its file appears in the diff output, 'same'
 * otherwise, 'error' when kubectl failed for the app.
 * @param {{ app: { objects: object[] }, code: number, stdout: string }[]} results
 */
export function kubectlVerdicts(results) {
  const verdicts = new Map();
  for (const { app, code, stdout } of results) {
    const files = changedFiles(stdout);
    for (const object of app.objects) {
      verdicts.set(keyOf(object), code > 1 ? 'error' : files.has(kubectlDiffFileName(object)) ? 'differs' : 'same');
    }
  }
  return verdicts;
}

/** The part of a `kubectl diff` output about one object file (for reports of disagreements). */
export function diffSectionFor(diffOutput, fileName) {
  const lines = diffOutput.split('\n');
  const start = lines.findIndex((line) => line.startsWith('diff -u -N ') && line.endsWith(`/${fileName}`));
  if (start < 0) return '';
  const end = lines.findIndex((line, i) => i > start && line.startsWith('diff -u -N '));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}
