// The suite-wide proof that plaintext secrets go nowhere: tests register the plaintext of every secret that
// should only ever exist in memory (values of SOPS-encrypted files they create; the demo's encrypted token) in
// a registry file (test/support/plaintext.ts); while the suites run, a sampler reads the argv and environment of every process on the
// machine from /proc, and at the end every file under the temp dirs, caches and log folders is read. Any hit is
// a failure, reported with where it was found (never with the value).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function registered(registry) {
  try {
    return [...new Set(fs.readFileSync(registry, 'utf8').split('\n').filter(Boolean))].map((line) => Buffer.from(line, 'base64'));
  } catch {
    return [];
  }
}

/**
 * For a suite that removes its own folder (code-server's user data, logs and output channels) before the run
 * ends: reads it now; hits join the run's report. No-op outside `npm test`.
 */
export function scanBeforeRemoving(dir) {
  const registry = process.env.DRIFTLINE_PLAINTEXT_REGISTRY;
  if (!registry) return;
  const hits = [];
  const files = { read: 0 };
  scanFiles(dir, registered(registry), hits, files, registry);
  fs.appendFileSync(`${registry}.files`, `${files.read}\n`);
  if (hits.length) fs.appendFileSync(`${registry}.hits`, hits.map((hit) => `${hit}\n`).join(''));
}

/**
 * Starts sampling /proc every `intervalMs`. `finish(dirs)` stops it, reads every file under `dirs` (etcd's data
 * holds what tests applied to the cluster on purpose, and node_modules nothing of ours: both skipped) and returns
 * the figures and the hits.
 */
export function startPlaintextScan(registry, { intervalMs = 20 } = {}) {
  for (const file of [`${registry}.files`, `${registry}.hits`]) fs.rmSync(file, { force: true });
  fs.writeFileSync(registry, '', { mode: 0o600 });
  let needles = [];
  const hits = [];
  // A process's argv and environment do not change after exec: each is read once, while the process lives,
  // and read again against the registry whenever a test registers another secret.
  const live = new Map();
  let processes = 0;
  let samples = 0;
  const check = (pid, contents) => {
    for (const [part, content] of Object.entries(contents)) {
      if (!needles.some((needle) => content.includes(needle))) continue;
      const where = `${part} of process ${pid} (${contents.comm.toString().trim()})`;
      if (!hits.includes(where)) hits.push(where);
    }
  };
  const sample = () => {
    samples += 1;
    const registeredNow = registered(registry);
    const grew = registeredNow.length !== needles.length;
    needles = registeredNow;
    const pids = new Set(fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid));
    for (const pid of live.keys()) if (!pids.has(pid)) live.delete(pid);
    for (const pid of pids) {
      if (live.has(pid)) continue;
      const contents = { cmdline: readBytes(`/proc/${pid}/cmdline`), environ: readBytes(`/proc/${pid}/environ`), comm: readBytes(`/proc/${pid}/comm`) };
      live.set(pid, contents);
      processes += 1;
      if (needles.length) check(pid, contents);
    }
    if (grew) for (const [pid, contents] of live) check(pid, contents);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    /** Where plaintext was found so far (processes only: files are read by finish). */
    get hits() {
      return [...hits];
    },
    /** Drops the hits of a process the run planted on purpose (the scanner's self-check). */
    forgetProcess(pid) {
      for (let i = hits.length - 1; i >= 0; i--) if (hits[i].includes(`of process ${pid} `)) hits.splice(i, 1);
    },
    finish(dirs) {
      clearInterval(timer);
      sample();
      const files = { read: 0 };
      for (const dir of dirs) scanFiles(dir, needles, hits, files, registry);
      files.read += readOr(`${registry}.files`).split('\n').filter(Boolean).reduce((sum, count) => sum + Number(count), 0);
      hits.push(...readOr(`${registry}.hits`).split('\n').filter(Boolean));
      for (const file of [registry, `${registry}.files`, `${registry}.hits`]) fs.rmSync(file, { force: true });
      return { secrets: needles.length, samples, processes, files: files.read, hits };
    },
  };
}

function readBytes(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return Buffer.alloc(0); // gone, or not ours to read
  }
}

function readOr(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function scanFiles(dir, needles, hits, files, registry, depth = 0) {
  if (depth > 16) return;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'etcd-data' || entry.name === 'member') continue;
      scanFiles(file, needles, hits, files, registry, depth + 1);
    } else if (entry.isFile() && !file.startsWith(registry)) {
      let content;
      try {
        if (fs.statSync(file).size > 20_000_000) continue;
        content = fs.readFileSync(file);
      } catch {
        continue;
      }
      files.read += 1;
      if (needles.some((needle) => content.includes(needle))) hits.push(`file ${file}`);
    }
  }
}

/** Where files of a test run can end up: the temp dir, Driftline's and code-server's caches and logs. */
export function scanLocations() {
  const home = os.homedir();
  return [os.tmpdir(), path.join(home, '.cache', 'driftline'), path.join(home, '.local', 'share', 'code-server')]
    .filter((dir) => fs.existsSync(dir));
}
