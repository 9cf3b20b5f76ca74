// The project's test cluster: etcd + a real kube-apiserver v1.20.2 on free loopback ports with TLS, an admin
// user (system:masters) and a limited user that RBAC lets only read one namespace.
//
//   const cluster = await startCluster();   // { infoFile, info, stop() }
//   ... tests read cluster.infoFile (via $DRIFTLINE_TEST_CLUSTER) ...
//   await cluster.stop();                   // kills exactly the processes it started, removes the run dir
//
// A test that breaks the cluster on purpose (the fault suite) starts one of its own and uses `servers`:
//   cluster.servers.kill('apiserver');      // SIGKILL now, as a crash would (synchronous)
//   await cluster.servers.stopped('apiserver');
//   await cluster.servers.start('apiserver'); // the same binary, flags, ports and data; resolves once /readyz is ok
//
// Binaries come from build-binaries.sh (built from Debian's archive once, then cached under ~/.cache/driftline).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminApi } from './admin-api.mjs';
import { createPki } from './pki.mjs';
import { freePort, isRunning, killNow, startProcess, startWatchdog, stopProcess } from './processes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const K8S_SRC_VERSION = '1.20.5+really1.20.2-1.1+deb12u1';
const GO_VERSION = '1.19';
export const cacheDir = process.env.DRIFTLINE_CACHE ?? path.join(os.homedir(), '.cache', 'driftline');

const ADMIN = { name: 'admin', subject: '/O=system:masters/CN=admin' };
const LIMITED = { name: 'viewer', subject: '/O=driftline:viewers/CN=viewer', namespace: 'team-a' };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Path of the cached binaries, building them first when they are missing (minutes once, then instant). */
export function ensureBinaries(log = defaultLog) {
  const bin = path.join(cacheDir, `kube-${K8S_SRC_VERSION}-go${GO_VERSION}`, 'bin');
  const ready = () => ['etcd', 'kube-apiserver'].every((name) => fs.existsSync(path.join(bin, name)));
  if (ready()) return bin;
  log(`building kube-apiserver and etcd into ${bin} (first run on this machine: a few minutes)`);
  const result = spawnSync('bash', [path.join(here, 'build-binaries.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, K8S_SRC_VERSION, GO_VERSION, DRIFTLINE_CACHE: cacheDir },
  });
  if (result.status !== 0 || !ready()) throw new Error(`build-binaries.sh failed (exit ${result.status}); see its output above`);
  return bin;
}

function defaultLog(message) {
  console.error(`[test cluster] ${message}`);
}

/**
 * Starts a cluster. Options:
 * - runDir: where certificates, data, logs and the kubeconfig go (default: a fresh temp dir).
 * - detached: leave it running after this process exits (`cluster:up`); otherwise it is stopped on exit,
 *   on Ctrl-C, and by a watchdog if this process is killed outright.
 * - log: progress messages (default: stderr).
 * - apiserverArgs: extra kube-apiserver flags (e.g. `--enable-bootstrap-token-auth`).
 */
export async function startCluster(options = {}) {
  const log = options.log ?? defaultLog;
  const bin = ensureBinaries(log);
  const runDir = options.runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-cluster-'));
  fs.mkdirSync(runDir, { recursive: true });
  const started = Date.now();
  try {
    const pki = await createPki(path.join(runDir, 'pki'), { [ADMIN.name]: ADMIN.subject, [LIMITED.name]: LIMITED.subject });
    const servers = await startServers(bin, runDir, pki, options.apiserverArgs ?? []);
    const cluster = makeHandle(runDir, servers.pids, options.detached);
    try {
      const api = adminApi(servers.server, pki);
      const version = JSON.parse((await api.request('GET', '/version')).text).gitVersion;
      await grantLimitedUser(api);
      const info = writeClusterFiles(runDir, servers.server, version, pki, servers.pids);
      log(`kube-apiserver ${version} ready at ${servers.server} in ${((Date.now() - started) / 1000).toFixed(1)} s (${runDir})`);
      const control = serverControl(servers, pki, runDir, cluster, () => writeClusterFiles(runDir, servers.server, version, pki, servers.pids));
      return { infoFile: path.join(runDir, 'cluster.json'), info, stop: cluster.stop, servers: control };
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  } catch (error) {
    fs.rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
}

/** Starts etcd and kube-apiserver; retries with new ports when another process took one meanwhile. */
async function startServers(bin, runDir, pki, apiserverArgs) {
  for (let attempt = 1; ; attempt++) {
    const [etcdPort, peerPort, apiPort] = await distinctFreePorts(3);
    const logs = { etcd: path.join(runDir, 'etcd.log'), apiserver: path.join(runDir, 'kube-apiserver.log') };
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    fs.rmSync(path.join(runDir, 'etcd-data'), { recursive: true, force: true });
    const specs = {};
    specs.etcd = [path.join(bin, 'etcd'), [
      '--name', 'default', '--data-dir', path.join(runDir, 'etcd-data'),
      '--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl,
      '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl, '--initial-cluster', `default=${peerUrl}`,
      '--log-level', 'warn', '--logger', 'zap',
    ], logs.etcd];
    specs.apiserver = [path.join(bin, 'kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki.serving.cert}`, `--tls-private-key-file=${pki.serving.key}`,
      `--cert-dir=${path.join(runDir, 'certs')}`,
      `--client-ca-file=${pki.ca}`, `--token-auth-file=${writeTokenFile(runDir)}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-cluster-ip-range=10.0.0.0/24', '--endpoint-reconciler-type=none',
      '--authorization-mode=Node,RBAC', '--disable-admission-plugins=ServiceAccount',
      ...apiserverArgs,
    ], logs.apiserver];
    const pids = { etcd: startProcess(...specs.etcd), apiserver: startProcess(...specs.apiserver) };
    const server = `https://127.0.0.1:${apiPort}`;
    const failure = await waitUntilReady(server, pki, runDir, pids, logs);
    if (!failure) return { server, pids, specs, logs };
    await stopAll(pids, runDir);
    const portTaken = /address already in use/.test(failure);
    if (!portTaken || attempt === 3) throw new Error(`test cluster did not start:\n${failure}`);
  }
}

async function distinctFreePorts(count) {
  const ports = new Set();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Resolves undefined once /readyz says ok, or a description of why it never will. */
async function waitUntilReady(server, pki, runDir, pids, logs) {
  const api = adminApi(server, pki);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    for (const [name, pid] of Object.entries(pids)) {
      if (!isRunning(pid, runDir)) return `${name} exited; last lines of ${logs[name]}:\n${tail(logs[name])}`;
    }
    try {
      if ((await api.request('GET', '/readyz')).text === 'ok') return undefined;
    } catch { /* not listening yet */ }
    await sleep(250);
  }
  return `kube-apiserver not ready after 120 s; last lines of ${logs.apiserver}:\n${tail(logs.apiserver)}`;
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The token file --token-auth-file requires; its one admin token is random and stays in the run dir. */
function writeTokenFile(runDir) {
  const file = path.join(runDir, 'pki', 'tokens.csv');
  const token = crypto.randomBytes(24).toString('hex');
  fs.writeFileSync(file, `${token},token-admin,token-admin-uid,system:masters\n`, { mode: 0o600 });
  return file;
}

/** The limited user may get/list/watch everything in its one namespace, and nothing anywhere else. */
async function grantLimitedUser(api) {
  const namespace = LIMITED.namespace;
  await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await api.create(`/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role',
    metadata: { name: 'driftline-read-only', namespace },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
  });
  await api.create(`/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
    metadata: { name: 'driftline-read-only', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'driftline-read-only' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: LIMITED.name }],
  });
}

function writeClusterFiles(runDir, server, version, pki, pids) {
  const b64 = (file) => fs.readFileSync(file).toString('base64');
  const user = (name) => [
    `- name: ${name}`,
    '  user:',
    `    client-certificate-data: ${b64(pki.clients[name].cert)}`,
    `    client-key-data: ${b64(pki.clients[name].key)}`,
  ].join('\n');
  const kubeconfig = path.join(runDir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: driftline-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(pki.ca)}`,
    'users:',
    user(ADMIN.name),
    user(LIMITED.name),
    'contexts:',
    `- name: admin\n  context: {cluster: driftline-test, user: ${ADMIN.name}, namespace: default}`,
    `- name: limited\n  context: {cluster: driftline-test, user: ${LIMITED.name}, namespace: ${LIMITED.namespace}}`,
    'current-context: admin',
    '',
  ].join('\n'), { mode: 0o600 });
  const info = {
    kubeconfig, server, version,
    adminContext: 'admin', limitedContext: 'limited',
    limitedUser: LIMITED.name, limitedNamespace: LIMITED.namespace,
    runDir, pids,
  };
  fs.writeFileSync(path.join(runDir, 'cluster.json'), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/** Stops kube-apiserver first (so it does not log etcd errors), then etcd, and waits for both to exit. */
async function stopAll(pids, runDir) {
  if (pids.apiserver) await stopProcess(pids.apiserver, runDir);
  if (pids.etcd) await stopProcess(pids.etcd, runDir);
}

/** Stops a cluster described by its info file (also one started by another process, e.g. `cluster:up`). */
export async function stopClusterFromInfo(infoFile) {
  const info = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
  await stopAll(info.pids, info.runDir);
  fs.rmSync(info.runDir, { recursive: true, force: true });
}

const attached = new Set();
let exitHooksInstalled = false;

function makeHandle(runDir, pids, detached) {
  let stopping;
  const watchdogFor = (group) => (detached ? undefined : startWatchdog(process.pid, group, runDir));
  const entry = { runDir, pids, watchdogs: [watchdogFor(Object.values(pids))].filter(Boolean) };
  const stop = () => {
    stopping ??= (async () => {
      attached.delete(entry);
      await stopAll(pids, runDir);
      for (const watchdog of entry.watchdogs) killNow(watchdog, `kill -0 ${process.pid}`);
      fs.rmSync(runDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  entry.stop = stop;
  if (!detached) {
    attached.add(entry);
    installExitHooks();
  }
  /** A server started again later gets a watchdog of its own: the first one only knows the first pids. */
  const watch = (pid) => {
    const watchdog = watchdogFor([pid]);
    if (watchdog) entry.watchdogs.push(watchdog);
  };
  return { stop, watch };
}

/**
 * Stopping and starting one server of a running cluster, for tests of what clients do when it fails. `pids` is
 * updated in place, so stop() and the exit hooks always find the current processes.
 */
function serverControl(servers, pki, runDir, handle, rewriteInfo) {
  const { pids, specs, logs } = servers;
  const names = Object.keys(specs);
  const known = (name) => {
    if (!names.includes(name)) throw new Error(`no server "${name}" (servers: ${names.join(', ')})`);
    return name;
  };
  return {
    /** Whether the server runs now. */
    running: (name) => isRunning(pids[known(name)], runDir),
    /** SIGKILL to the server's process group at once, as a crash would: synchronous, so it can happen mid-request. */
    kill: (name) => killNow(pids[known(name)], runDir),
    /** Resolves once the server has exited (after kill). */
    async stopped(name, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (isRunning(pids[known(name)], runDir)) {
        if (Date.now() > deadline) throw new Error(`${name} still runs ${timeoutMs} ms after it was killed`);
        await sleep(20);
      }
    },
    /** Stops the server gracefully (SIGTERM, then SIGKILL). */
    stop: (name) => stopProcess(pids[known(name)], runDir),
    /**
     * Starts the server again with the flags, ports and data it had; resolves once kube-apiserver's /readyz is
     * ok (for etcd too: kube-apiserver is only ready when it reaches etcd, if it runs).
     */
    async start(name) {
      if (isRunning(pids[known(name)], runDir)) throw new Error(`${name} is running already`);
      // Its port is fixed now (the kubeconfig names it); a socket that holds it for a moment is waited out.
      for (let attempt = 1; ; attempt++) {
        pids[name] = startProcess(...specs[name]);
        handle.watch(pids[name]);
        rewriteInfo();
        if (!isRunning(pids.apiserver, runDir)) return;
        const failure = await waitUntilReady(servers.server, pki, runDir, pids, logs);
        if (!failure) return;
        const portTaken = /address already in use/.test(failure) && !isRunning(pids[name], runDir);
        if (!portTaken || attempt === 10) throw new Error(`${name} did not come back:\n${failure}`);
        await sleep(500);
      }
    },
  };
}

/** Ctrl-C, SIGTERM and plain exits stop every attached cluster before this process goes. */
function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const { pids, runDir, watchdogs } of attached) {
      killNow(pids.apiserver, runDir);
      killNow(pids.etcd, runDir);
      for (const watchdog of watchdogs) killNow(watchdog, `kill -0 ${process.pid}`);
      fs.rmSync(runDir, { recursive: true, force: true });
    }
  });
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(signal, async () => {
      await Promise.all([...attached].map((entry) => entry.stop()));
      process.exit(code);
    });
  }
}
