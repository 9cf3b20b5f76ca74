// `npm run test:vscode`: runs the mocha suites of test/vscode inside code-server's extension host (a real
// VS Code 1.100, Node extension host, full `vscode` API), the way VS Code's own browser integration tests
// run: the workbench URL carries an extensionDevelopmentPath/extensionTestsPath payload, and the page's
// `codeAutomationExit` is called with the extension host's exit code when the tests' run() settles.
// Mocha's report (relayed from the extension host) is echoed here; out/test/vscode/index.js writes the
// counts to $DRIFTLINE_RESULTS_FILE. Needs `npm run build` first.
//   node test/vscode/run.mjs [--grep PATTERN]      env: DRIFTLINE_TEST_CLUSTER (reuse a cluster), KEEP_TMP=1
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { startCluster } from '../../scripts/cluster/cluster.mjs';
import { exitOnSignals, installCodeServer, launchBrowser, repoRoot, startCodeServer } from '../../scripts/code-server/codeServer.mjs';
import { createDemoRepo } from '../../scripts/demo-repo/demoRepo.mjs';
import { scanBeforeRemoving } from '../support/plaintextScan.mjs';

const timeoutMs = Number(process.env.DRIFTLINE_VSCODE_TIMEOUT_SECONDS ?? 600) * 1000;
const grepAt = process.argv.indexOf('--grep');
const grep = grepAt > 0 ? process.argv[grepAt + 1] : undefined;
const resultsFile = process.env.DRIFTLINE_RESULTS_FILE ?? path.join(repoRoot, 'test-results', 'vscode.json');
fs.rmSync(resultsFile, { force: true });
const testsIndex = path.join(repoRoot, 'out/test/vscode/index.js');
if (!fs.existsSync(testsIndex)) {
  console.error(`${testsIndex} is missing: run npm run build first`);
  process.exit(2);
}

const workbenchChatter = /^(Creation of workbench contribution|Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional|\[Service Worker\]|ChatSessionStore|Updating additional builtin)/;
const started = Date.now();
const elapsed = () => `[${((Date.now() - started) / 1000).toFixed(1)}s]`;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-vscode-'));
exitOnSignals();
process.on('exit', () => {
  scanBeforeRemoving(workDir); // code-server's logs and output channels, for the run's plaintext scan
  if (!process.env.KEEP_TMP) fs.rmSync(workDir, { recursive: true, force: true });
});
let cluster;
let server;
let browser;
let exitCode = 2;
try {
  const entry = installCodeServer();
  let clusterInfo;
  if (process.env.DRIFTLINE_TEST_CLUSTER) {
    clusterInfo = JSON.parse(fs.readFileSync(process.env.DRIFTLINE_TEST_CLUSTER, 'utf8'));
  } else {
    cluster = await startCluster();
    clusterInfo = cluster.info;
  }
  const workspace = path.join(workDir, 'repo');
  fs.mkdirSync(workspace);
  const prefix = `vsc-${Math.random().toString(36).slice(2, 6)}`;
  const { namespaces, userSettings } = await createDemoRepo({ dir: workspace, kubeconfig: clusterInfo.kubeconfig, context: clusterInfo.adminContext, prefix });

  server = await startCodeServer({
    entry, workDir: path.join(workDir, 'code-server'), settings: userSettings,
    env: {
      DRIFTLINE_RESULTS_FILE: resultsFile,
      DRIFTLINE_TEST_CLUSTER_INFO: JSON.stringify(clusterInfo),
      DRIFTLINE_DEMO_NAMESPACES: JSON.stringify(namespaces),
      ...(grep ? { DRIFTLINE_TEST_GREP: grep } : {}),
    },
  });
  console.log(elapsed(), `code-server on ${server.authority}, workspace ${workspace}`);
  browser = await launchBrowser(path.join(workDir, 'chromium'));
  const page = browser.pages()[0] ?? await browser.newPage();
  const exited = new Promise((resolve) => {
    void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
  });
  // The extension host's console (mocha's spec reporter) arrives here as printf-style arguments, mixed with the
  // workbench's own start-up chatter, which is shown only with VERBOSE=1.
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const line = format(...(args ?? []));
    if (process.env.VERBOSE || !workbenchChatter.test(line)) console.log(line);
  });
  if (process.env.VERBOSE) page.on('console', (message) => console.log('[page]', message.type(), message.text()));
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  await page.goto(server.url(workspace, [
    ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
    ['extensionTestsPath', server.remoteUri(testsIndex)],
    ['skipWelcome', 'true'],
  // The workbench's "load" can take long on a busy machine; the suite's own timeout (below) bounds the run.
  ]), { timeout: 180_000 });
  const timedOut = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const result = await Promise.race([exited, timedOut]);
  if (result === 'timeout') console.error(elapsed(), `no result from the extension host after ${timeoutMs / 1000} s`);
  else {
    exitCode = result;
    console.log(elapsed(), `extension host exited with ${exitCode}`);
  }
} catch (error) {
  console.error(elapsed(), `vscode suite harness failed: ${error.stack ?? error}`);
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  await cluster?.stop();
  if (process.env.KEEP_TMP) console.log(`kept ${workDir}`);
}
process.exit(exitCode);
