// `npm run test:e2e`: the extension as a user meets it. Installs the built extension into code-server (the
// way a VSIX install lays it out), opens code-server on the drifted demo repo with KUBECONFIG pointing at
// the test cluster, then runs the mocha suites of test/e2e, which drive the workbench in headless Chromium
// and save screenshots under test-results/e2e/. Needs `npm run build` first.
//   node test/e2e/run.mjs [mocha args]     env: DRIFTLINE_TEST_CLUSTER (reuse a cluster), KEEP_TMP=1
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster } from '../../scripts/cluster/cluster.mjs';
import { exitOnSignals, installBuiltExtension, installCodeServer, repoRoot, startCodeServer } from '../../scripts/code-server/codeServer.mjs';
import { createDemoRepo } from '../../scripts/demo-repo/demoRepo.mjs';
import { scanBeforeRemoving } from '../support/plaintextScan.mjs';

const resultsFile = process.env.DRIFTLINE_RESULTS_FILE ?? path.join(repoRoot, 'test-results', 'e2e.json');
fs.rmSync(resultsFile, { force: true });
if (!fs.existsSync(path.join(repoRoot, 'dist/extension.js'))) {
  console.error('dist/extension.js is missing: run npm run build first');
  process.exit(2);
}
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-e2e-'));
exitOnSignals();
process.on('exit', () => {
  scanBeforeRemoving(workDir); // code-server's logs and output channels, for the run's plaintext scan
  if (!process.env.KEEP_TMP) fs.rmSync(workDir, { recursive: true, force: true });
});
let cluster;
let server;
let status = 2;
try {
  const entry = installCodeServer();
  const clusterInfo = process.env.DRIFTLINE_TEST_CLUSTER
    ? JSON.parse(fs.readFileSync(process.env.DRIFTLINE_TEST_CLUSTER, 'utf8'))
    : (cluster = await startCluster()).info;
  const workspace = path.join(workDir, 'repo');
  const emptyFolder = path.join(workDir, 'not-a-gitops-repo');
  fs.mkdirSync(workspace);
  fs.mkdirSync(emptyFolder);
  fs.writeFileSync(path.join(emptyFolder, 'notes.md'), '# Just notes\n');
  const { namespaces, userSettings } = await createDemoRepo({
    dir: workspace, kubeconfig: clusterInfo.kubeconfig, context: clusterInfo.adminContext, prefix: `e2e-${Math.random().toString(36).slice(2, 6)}`,
  });
  const extensionsDir = path.join(workDir, 'extensions');
  installBuiltExtension(extensionsDir);
  server = await startCodeServer({
    entry, workDir: path.join(workDir, 'code-server'), extensionsDir, env: { KUBECONFIG: clusterInfo.kubeconfig }, settings: userSettings,
  });
  console.log(`code-server on ${server.authority} with the built extension, workspace ${workspace}`);
  const result = spawnSync(process.execPath, [
    path.join(repoRoot, 'node_modules/mocha/bin/mocha.js'),
    '--reporter', path.join(repoRoot, 'test/support/counting-reporter.cjs'),
    '--timeout', '120000', '--slow', '20000',
    path.join(repoRoot, 'test/e2e/*.test.mjs'),
    ...process.argv.slice(2),
  ], {
    cwd: repoRoot, stdio: 'inherit',
    env: {
      ...process.env,
      DRIFTLINE_RESULTS_FILE: resultsFile,
      DRIFTLINE_E2E: JSON.stringify({
        repoUrl: server.url(workspace), emptyUrl: server.url(emptyFolder), workspace, emptyFolder,
        browserDir: path.join(workDir, 'chromium'), clusterInfo, namespaces,
        codeServerEntry: entry, extensionsDir, scratchDir: path.join(workDir, 'scratch'),
      }),
    },
  });
  status = result.status ?? 1;
} catch (error) {
  console.error(`e2e harness failed: ${error.stack ?? error}`);
} finally {
  await server?.stop();
  await cluster?.stop();
  if (process.env.KEEP_TMP) console.log(`kept ${workDir}`);
}
process.exit(status);
