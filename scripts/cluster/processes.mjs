// Starting and stopping the cluster's server processes. Each runs in its own process group with its output
// in a log file, so it can outlive the starting process (`cluster:up`) and be stopped as a whole later.
// Stopping is by recorded pid only, and only after checking that the pid still runs the command we started.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A loopback port nobody listens on right now, below the kernel's ephemeral range. A server the tests kill and
 * start again must get its port back: a port the OS hands out for listen(0) is an ephemeral one, and while the
 * server is down any outgoing connection may take it as its source port (a client reconnecting to it may even
 * connect to itself, TCP simultaneous open), so the restart would fail with "address already in use".
 */
export async function freePort() {
  const [ephemeralLow] = ephemeralRange();
  const low = 10_000;
  for (let attempt = 0; attempt < 50 && ephemeralLow - low > 1000; attempt++) {
    const port = low + Math.floor(Math.random() * (ephemeralLow - low));
    if (await canListen(port)) return port;
  }
  return listenOnAnyPort();
}

function ephemeralRange() {
  try {
    return fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  } catch {
    return [32768, 60999]; // Linux's default
  }
}

function canListen(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.on('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function listenOnAnyPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `binary args` detached, stdout and stderr appended to `logFile`. Returns the pid. */
export function startProcess(binary, args, logFile) {
  const log = fs.openSync(logFile, 'a');
  try {
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    child.on('error', () => {}); // a spawn failure shows as a missing pid below
    if (!child.pid) throw new Error(`could not start ${binary} (see ${logFile})`);
    return child.pid;
  } finally {
    fs.closeSync(log);
  }
}

/** True while `pid` is a live (not zombie) process whose command line contains `marker`. */
export function isRunning(pid, marker) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z/.test(stat)) return false;
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/** SIGTERM to the process group of `pid`, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopProcess(pid, marker, graceMs = 10_000) {
  if (!isRunning(pid, marker)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunning(pid, marker) && Date.now() < deadline) await sleep(100);
  if (!isRunning(pid, marker)) return;
  signalGroup(pid, 'SIGKILL');
  while (isRunning(pid, marker)) await sleep(100);
}

/** Synchronous last resort for process 'exit' handlers, where nothing can be awaited. */
export function killNow(pid, marker) {
  if (isRunning(pid, marker)) signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try { process.kill(pid, signal); } catch { /* already gone */ }
  }
}

/**
 * A tiny shell that outlives us only as long as it must: when `ownerPid` dies without stopping the cluster
 * (SIGKILL, OOM), it kills the cluster's process groups and removes `runDir`, so nothing is left behind.
 */
export function startWatchdog(ownerPid, pids, runDir) {
  const groups = pids.map((pid) => `-${pid}`).join(' ');
  const script = `while kill -0 ${ownerPid} 2>/dev/null; do sleep 1; done; kill -TERM ${groups} 2>/dev/null; sleep 5; kill -KILL ${groups} 2>/dev/null; rm -rf '${runDir}'; exit 0`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid;
}
