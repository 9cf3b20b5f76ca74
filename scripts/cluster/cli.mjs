// `npm run cluster:up` / `npm run cluster:down`: one long-lived test cluster for manual work and for running
// suites against (DRIFTLINE_TEST_CLUSTER), kept in ~/.cache/driftline/cluster until it is taken down.
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, startCluster, stopClusterFromInfo } from './cluster.mjs';
import { isRunning } from './processes.mjs';

const runDir = path.join(cacheDir, 'cluster');
const infoFile = path.join(runDir, 'cluster.json');

function runningInfo() {
  if (!fs.existsSync(infoFile)) return undefined;
  const info = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
  return Object.values(info.pids).every((pid) => isRunning(pid, info.runDir)) ? info : undefined;
}

function printUsage(info) {
  console.log(`kube-apiserver ${info.version} at ${info.server}; contexts "${info.adminContext}" (admin) and ` +
    `"${info.limitedContext}" (user "${info.limitedUser}", read-only in namespace "${info.limitedNamespace}")`);
  console.log(`export KUBECONFIG=${info.kubeconfig}`);
  console.log(`export DRIFTLINE_TEST_CLUSTER=${infoFile}`);
}

async function up() {
  const existing = runningInfo();
  if (existing) {
    console.error('test cluster already running');
    printUsage(existing);
    return;
  }
  if (fs.existsSync(infoFile)) await stopClusterFromInfo(infoFile); // remains of a cluster that died
  fs.rmSync(runDir, { recursive: true, force: true });
  const { info } = await startCluster({ runDir, detached: true });
  printUsage(info);
}

async function down() {
  if (!fs.existsSync(infoFile)) {
    console.log('no test cluster running');
    return;
  }
  await stopClusterFromInfo(infoFile);
  console.log(`test cluster stopped; ${runDir} removed`);
}

async function status() {
  const info = runningInfo();
  if (info) printUsage(info);
  else console.log('no test cluster running');
}

const commands = { up, down, status };
const command = commands[process.argv[2]];
if (!command) {
  console.error(`usage: cli.mjs ${Object.keys(commands).join('|')}`);
  process.exit(2);
}
try {
  await command();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
