// `npm test`: builds once, starts one test cluster shared by every suite that needs it, runs all suites,
// and ends with the line `N passed, N failed` summed over them. A suite that dies without reporting its
// counts is counted as one failure, so a crash can never read as success.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../scripts/cluster/cluster.mjs';
import { scanLocations, startPlaintextScan } from './support/plaintextScan.mjs';
import { withTestTools } from './tools/tools.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args, env = process.env) =>
  spawnSync(command, args, { cwd: root, env, stdio: 'inherit' }).status ?? 1;
/** Like run, without blocking this process: the plaintext scan samples /proc while the suite runs. */
const runSuite = (args, env) => new Promise((resolve) => {
  spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' }).on('close', (code) => resolve(code ?? 1));
});

// Each suite: the command that runs it; it writes {passes, failures} to $DRIFTLINE_RESULTS_FILE.
const suites = [
  { name: 'lint', args: ['test/run-lint.mjs'] },        // ESLint, a file a test (eslint.config.mjs)
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
const registry = path.join(root, 'test-results', 'plaintext-registry');
fs.mkdirSync(path.dirname(registry), { recursive: true });
const plaintextScan = startPlaintextScan(registry);
toolsEnv.DRIFTLINE_PLAINTEXT_REGISTRY = registry;
try {
  totals.failures += await scannerSelfCheck() ? 0 : 1;
  for (const suite of suites) {
    console.log(`\n=== ${suite.name} ===`);
    const resultsFile = path.join(root, 'test-results', `${suite.name}.json`);
    fs.rmSync(resultsFile, { force: true });
    const status = await runSuite(suite.args, {
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
  const scan = plaintextScan.finish(scanLocations());
  const testSecrets = scan.secrets - 1; // the self-check's canary is one of them
  console.log(`\n=== plaintext scan ===\nplaintext hits: ${scan.hits.length} (${testSecrets} test secrets; the argv and environment of ` +
    `${scan.processes} processes, sampled ${scan.samples} times; ${scan.files} files under the temp dirs, caches and logs)`);
  for (const hit of scan.hits) console.log(`  plaintext found in ${hit}`);
  if (testSecrets === 0) console.log('  no test registered a secret: the scan proved nothing, counted as a failure');
  totals.failures += scan.hits.length + (testSecrets === 0 ? 1 : 0);
} finally {
  await cluster.stop();
}
console.log(`\n${totals.passes} passed, ${totals.failures} failed`);

/** The scan must be able to fail: a child holding a registered canary in its environment has to be found. */
async function scannerSelfCheck() {
  const canary = `canary-${crypto.randomBytes(6).toString('hex')}`;
  fs.appendFileSync(registry, `${Buffer.from(canary).toString('base64')}\n`);
  const child = spawn('sleep', ['60'], { env: { ...process.env, DRIFTLINE_CANARY: canary }, stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!plaintextScan.hits.some((hit) => hit.includes(`of process ${child.pid} `)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const found = plaintextScan.hits.some((hit) => hit.includes(`of process ${child.pid} `));
  child.kill();
  plaintextScan.forgetProcess(child.pid);
  console.log(found ? 'plaintext scan: self-check found the canary in a child process\'s environment'
    : 'plaintext scan: self-check FAILED: a canary in a child process\'s environment was not found');
  return found;
}
process.exit(totals.failures === 0 ? 0 : 1);
