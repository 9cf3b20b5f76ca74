// `npm test`: builds once, starts one test cluster shared by every suite that needs it, runs all suites,
// and ends with the line `N passed, N failed` summed over them. A suite that dies without reporting its
// counts is counted as one failure, so a crash can never read as success.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from './cluster/cluster.mjs';
import { withTestTools } from './tools/tools.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args, env = process.env) =>
  spawnSync(command, args, { cwd: root, env, stdio: 'inherit' }).status ?? 1;

// Each suite: the command that runs it; it writes {passes, failures} to $DRIFTLINE_RESULTS_FILE.
const suites = [
  { name: 'unit', args: ['test/run-suite.mjs', 'unit'] },
  { name: 'integration', args: ['test/run-suite.mjs', 'integration'] },
  { name: 'vscode', args: ['test/vscode/run.mjs'] },  // inside code-server's extension host
  { name: 'e2e', args: ['test/e2e/run.mjs'] },        // the workbench in headless Chromium
];

if (run('npm', ['run', 'build']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const toolsEnv = withTestTools();
const cluster = await startCluster();
const totals = { passes: 0, failures: 0 };
try {
  for (const suite of suites) {
    console.log(`\n=== ${suite.name} ===`);
    const resultsFile = path.join(root, 'test-results', `${suite.name}.json`);
    fs.rmSync(resultsFile, { force: true });
    const status = run(process.execPath, suite.args, {
      ...toolsEnv, DRIFTLINE_TEST_CLUSTER: cluster.infoFile, DRIFTLINE_RESULTS_FILE: resultsFile,
    });
    const counts = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : null;
    if (!counts) {
      console.log(`suite ${suite.name} exited with ${status} without reporting results`);
      totals.failures += 1;
      continue;
    }
    if (status !== 0 && counts.failures === 0) counts.failures = 1;
    console.log(`--- ${suite.name}: ${counts.passes} passed, ${counts.failures} failed`);
    totals.passes += counts.passes;
    totals.failures += counts.failures;
  }
} finally {
  await cluster.stop();
}
console.log(`\n${totals.passes} passed, ${totals.failures} failed`);
process.exit(totals.failures === 0 ? 0 : 1);
