// `npm run test:desktop`: the same mocha index (out/test/vscode/index.js) in desktop VS Code, downloaded by
// @vscode/test-electron. For machines that can reach the VS Code download site (this project's CI cannot,
// and uses code-server through test/vscode/run.mjs instead). It prepares the same demo repo on a test
// cluster first. Needs `npm run build`; on Linux without a display, run it under xvfb-run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { startCluster } from '../../scripts/cluster/cluster.mjs';
import { repoRoot } from '../../scripts/code-server/codeServer.mjs';
import { createDemoRepo } from '../../scripts/demo-repo/demoRepo.mjs';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-desktop-'));
const cluster = process.env.DRIFTLINE_TEST_CLUSTER ? undefined : await startCluster();
const clusterInfo = cluster?.info ?? JSON.parse(fs.readFileSync(process.env.DRIFTLINE_TEST_CLUSTER, 'utf8'));
let exitCode = 1;
try {
  const workspace = path.join(workDir, 'repo');
  fs.mkdirSync(workspace);
  const { namespaces } = createDemoRepo({
    dir: workspace, kubeconfig: clusterInfo.kubeconfig, context: clusterInfo.adminContext, prefix: `dsk-${Math.random().toString(36).slice(2, 6)}`,
  });
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out/test/vscode/index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(workDir, 'user-data')],
    extensionTestsEnv: {
      DRIFTLINE_TEST_CLUSTER_INFO: JSON.stringify(clusterInfo),
      DRIFTLINE_DEMO_NAMESPACES: JSON.stringify(namespaces),
      DRIFTLINE_RESULTS_FILE: process.env.DRIFTLINE_RESULTS_FILE ?? path.join(repoRoot, 'test-results', 'desktop.json'),
    },
  });
  exitCode = 0;
} catch (error) {
  console.error(`desktop VS Code tests failed: ${error.message ?? error}`);
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT/.test(String(error.message))) {
    console.error('VS Code could not be downloaded from this machine: run the same suites in code-server with npm run test:vscode.');
  }
} finally {
  await cluster?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);
