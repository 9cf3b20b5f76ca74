// Runs one mocha suite from the compiled tests: `node test/run-suite.mjs unit|integration [mocha args...]`.
// The integration suite needs a kube-apiserver: unless DRIFTLINE_TEST_CLUSTER names a running one (as
// `npm test` does, to share one cluster across suites), this starts one and stops it afterwards.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../scripts/cluster/cluster.mjs';
import { withTestTools } from './tools/tools.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [suite, ...mochaArgs] = process.argv.slice(2);
const suites = { unit: { cluster: false }, integration: { cluster: true } };
if (!suites[suite]) {
  console.error(`usage: run-suite.mjs ${Object.keys(suites).join('|')} [mocha args]`);
  process.exit(2);
}
const resultsFile = process.env.DRIFTLINE_RESULTS_FILE ?? path.join(root, 'test-results', `${suite}.json`);
fs.rmSync(resultsFile, { force: true });

let cluster;
const env = { ...withTestTools(), DRIFTLINE_RESULTS_FILE: resultsFile };
if (suites[suite].cluster && !env.DRIFTLINE_TEST_CLUSTER) {
  cluster = await startCluster();
  env.DRIFTLINE_TEST_CLUSTER = cluster.infoFile;
}
let status;
try {
  const result = spawnSync(process.execPath, [
    path.join(root, 'node_modules/mocha/bin/mocha.js'),
    '--reporter', path.join(root, 'test/support/counting-reporter.cjs'),
    '--timeout', suite === 'unit' ? '20000' : '120000',
    '--recursive', `out/test/${suite}/**/*.test.js`,
    ...mochaArgs,
  ], { cwd: root, env, stdio: 'inherit' });
  status = result.status ?? 1;
} finally {
  await cluster?.stop();
}
process.exit(status);
