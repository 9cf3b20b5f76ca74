// The lint suite of `npm test`: ESLint over the tree (eslint.config.mjs), counted per file like the other
// suites count tests: a file with no problem passes, a file with an error or a warning fails. Prints ESLint's
// own report of what failed, and writes {passes, failures} to $DRIFTLINE_RESULTS_FILE.
// `npm run lint` is the same check with ESLint's plain output.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = process.env.DRIFTLINE_RESULTS_FILE ?? path.join(root, 'test-results', 'lint.json');

const eslint = new ESLint({ cwd: root });
const started = Date.now();
const results = await eslint.lintFiles(['.']);
const failed = results.filter((result) => result.errorCount + result.warningCount + result.fatalErrorCount > 0);
if (failed.length > 0) {
  const formatter = await eslint.loadFormatter('stylish');
  console.log(await formatter.format(failed));
}
for (const result of failed) console.log(`  failed: ${path.relative(root, result.filePath)}`);
const counts = { passes: results.length - failed.length, failures: failed.length };
console.log(`lint: ${results.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s, ${counts.failures} with problems`);
fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
fs.writeFileSync(resultsFile, JSON.stringify(counts));
process.exit(counts.failures === 0 ? 0 : 1);
