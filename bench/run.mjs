// `npm run bench [-- --quick] [-- --runs N] [-- --profile] [-- --only drift|flux-tree|preview|helm-charts]`: Driftline's drift status at
// scale, side by side with the peer a user scripts today (`kubectl diff --server-side` per app) and with the floor
// (the bare dry-run applies); then cold discovery of a 500-Kustomization Flux tree beside `kubectl kustomize` per
// Kustomization (fluxTree.mjs). Starts its own test cluster per size, prints a markdown table and writes
// bench/results/latest.json. A benchmark, not a test: it never fails on a missed target, it reports it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../scripts/cluster/cluster.mjs';
import { generateRepo } from './generate.mjs';
import { diffArgs, diffSectionFor, kubectlDiffFileName, kubectlDiffLoop, kubectlVerdicts } from './peer.mjs';
import { benchFluxTree } from './fluxTree.mjs';
import { benchHelmCharts, renderHelmCharts } from './helmCharts.mjs';
import { benchPreview, renderPreview } from './preview.mjs';
import { renderFluxTree, renderTable, renderTargets, TARGETS } from './report.mjs';
import { applyBaseline, induceDrift, keyOf, renderAll } from './seed.mjs';
import { kubectl } from './kubectl.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

const SIZES = [
  { environments: 3, apps: 15, objectsPerApp: 6 },
  { environments: 3, apps: 30, objectsPerApp: 12 },
  { environments: 3, apps: 60, objectsPerApp: 24 },
];
const DEFAULT_SIZE = SIZES[1];
/** Requests in flight for both Driftline and the floor, unless --concurrency says otherwise. */
const DEFAULT_CONCURRENCY = 8;

const objectsOf = (size) => size.environments * size.apps * size.objectsPerApp;

function sizeFor(objects) {
  const size = SIZES.find((candidate) => objectsOf(candidate) === objects);
  if (!size) throw new Error(`bench: --sizes takes ${SIZES.map(objectsOf).join(', ')}; got ${objects}`);
  return size;
}

/** What `--only` can pick; each but drift writes bench/results/<name>.json when run alone. */
const SCENARIOS = ['drift', 'flux-tree', 'preview', 'helm-charts'];

function parseArgs(argv) {
  const args = { quick: false, runs: 5, profile: false, concurrency: DEFAULT_CONCURRENCY, sizes: undefined, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') args.quick = true;
    else if (arg === '--profile') args.profile = true;
    else if (arg === '--runs') args.runs = Number(argv[++i]);
    else if (arg === '--concurrency') args.concurrency = Number(argv[++i]);
    else if (arg === '--only') args.only = argv[++i];
    else if (arg === '--sizes') args.sizes = argv[++i].split(',').map((objects) => sizeFor(Number(objects)));
    else throw new Error(`bench: unknown argument ${arg} (expected --quick, --runs N, --concurrency N, --sizes 270,1080,4320, --profile, --only drift|flux-tree|preview|helm-charts)`);
  }
  if (!(args.runs >= 1) || !(args.concurrency >= 1)) throw new Error('bench: --runs and --concurrency need a positive number');
  if (args.only !== undefined && !SCENARIOS.includes(args.only)) throw new Error(`bench: --only takes ${SCENARIOS.join(', ')}; got ${args.only}`);
  return args;
}

const log = (message) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (value, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Builds out/ (tsc) for the measurement child. A type error elsewhere in the tree must not block a bench. */
function build() {
  log('npm run build');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const needed = ['drift/engine.js', 'cluster/client.js', 'cluster/kubeconfig.js'].map((f) => path.join(root, 'out/src/core', f));
  const missing = needed.filter((file) => !fs.existsSync(file));
  if (missing.length > 0) throw new Error(`bench: build did not produce ${missing.join(', ')}`);
  if (result.status !== 0) log(`warning: npm run build exited ${result.status}; measuring the JavaScript it emitted`);
}

/** Runs bench/measure.mjs in a child process; resolves its JSON result. */
function measureInChild(mode, job, nodeArgs = []) {
  const jobFile = path.join(job.workDir, `${mode}-job.json`);
  fs.writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, path.join(here, 'measure.mjs'), mode, jobFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop();
      try {
        if (code !== 0 || !line) throw new Error(`exited ${code}`);
        resolve(JSON.parse(line));
      } catch (error) {
        reject(new Error(`bench: measure.mjs ${mode}: ${error.message}`));
      }
    });
  });
}

/** Picks the incremental edit: an overlay value of an app whose ConfigMap is otherwise in sync. */
function pickEdit(rendered, expected) {
  for (const app of rendered) {
    const configMap = app.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${app.app}-configmap-1`);
    if (!configMap || expected.get(keyOf(configMap)) !== 'Synced') continue;
    const text = fs.readFileSync(app.patchFile, 'utf8');
    const level = /LOG_LEVEL: (\w+)/.exec(text)?.[1];
    if (level) return { file: app.patchFile, from: `LOG_LEVEL: ${level}`, to: 'LOG_LEVEL: error', objectKey: keyOf(configMap) };
  }
  throw new Error('bench: no app to edit for the incremental measurement');
}

/** Per object: does Driftline's verdict match kubectl diff's? Extra objects are outside kubectl's view. */
function compareVerdicts(rendered, driftline, peer, peerResults) {
  const disagreements = [];
  let agreed = 0;
  let total = 0;
  const outputs = new Map(peerResults.map((r) => [`${r.app.env}/${r.app.app}`, r.stdout]));
  for (const app of rendered) {
    for (const object of app.objects) {
      const key = keyOf(object);
      const ours = driftline[key]?.status ?? 'absent';
      const theirs = peer.get(key);
      total += 1;
      const oursDiffers = ours === 'OutOfSync' || ours === 'Missing';
      if ((theirs === 'same' && ours === 'Synced') || (theirs === 'differs' && oursDiffers)) {
        agreed += 1;
        continue;
      }
      disagreements.push({
        object: key, app: `${app.env}/${app.app}`, driftline: ours, driftlineReason: driftline[key]?.reason,
        kubectl: theirs, kubectlDiff: diffSectionFor(outputs.get(`${app.env}/${app.app}`) ?? '', kubectlDiffFileName(object)).slice(0, 2000),
      });
    }
  }
  return { agreement: total ? agreed / total : 0, agreed, total, disagreements };
}

/** How Driftline did on the drift set the bench caused itself (ground truth, including Missing and Extra). */
function checkKnownDrift(drift, driftline) {
  const misses = [];
  for (const [key, expected] of drift.expected) {
    const got = driftline[key]?.status ?? 'absent';
    if (got !== expected) misses.push({ object: key, expected, driftline: got, reason: driftline[key]?.reason });
  }
  const extrasFound = drift.extras.filter((key) => driftline[key]?.status === 'Extra');
  const expectedExtras = new Set(drift.extras);
  const unexpectedExtras = Object.entries(driftline)
    .filter(([key, v]) => v.status === 'Extra' && !expectedExtras.has(key)).map(([key]) => key);
  const problems = Object.entries(driftline).filter(([key]) => key.startsWith('app:') || key.startsWith('env:'))
    .map(([key, v]) => ({ where: key, ...v }));
  return {
    objectsExact: drift.expected.size - misses.length, objects: drift.expected.size, misses: misses.slice(0, 50),
    extrasFound: extrasFound.length, extrasExpected: drift.extras.length, unexpectedExtras, problems,
  };
}

async function benchSize(size, info, args, workDir) {
  const context = info.adminContext;
  const kubeconfig = info.kubeconfig;
  // Inside workDir, which main() removes whatever happens.
  const repo = generateRepo({ ...size, context, dir: path.join(workDir, 'repo') });
  log(`generated ${repo.apps.length} apps in ${repo.root}`);
  const rendered = await renderAll(repo.apps);
  const objects = rendered.flatMap((app) => app.objects);
  log(`applying ${objects.length} objects, then the drift set`);
  await applyBaseline({ kubeconfig, context, environments: repo.environments, rendered });
  const drift = await induceDrift({ kubeconfig, context, rendered });
  const objectsFile = path.join(workDir, 'objects.json');
  fs.writeFileSync(objectsFile, JSON.stringify(objects));
  const edit = pickEdit(rendered, drift.expected);
  // kubectl caches discovery on disk: fill that cache first, as a user's earlier kubectl calls would have.
  await kubectl(diffArgs(rendered[0].overlay), { kubeconfig, context, allowExit: [0, 1] });

  const samples = { coldMs: [], warmMs: [], incrementalMs: [], peakRssMb: [], kubectlLoopMs: [], floorMs: [] };
  let verdicts;
  let peerRun;
  let coldDryRuns;
  const checks = { incrementalSawEdit: true, warmSameAsCold: true, floorErrors: 0, kubectlErrors: 0 };
  for (let run = 0; run < args.runs; run++) {
    const loop = await kubectlDiffLoop({ kubeconfig, context, apps: rendered });
    samples.kubectlLoopMs.push(loop.ms);
    checks.kubectlErrors += loop.results.filter((r) => r.code > 1).length;
    peerRun ??= loop.results;
    const floor = await measureInChild('floor', { workDir, kubeconfig, context, objectsFile, concurrency: args.concurrency });
    samples.floorMs.push(floor.ms);
    checks.floorErrors += floor.errors;
    if (floor.firstError) checks.floorFirstError ??= floor.firstError;
    const profile = args.profile && run === args.runs - 1 ? ['--cpu-prof', '--cpu-prof-dir', path.join(workDir, 'profiles')] : [];
    const ours = await measureInChild('driftline', {
      workDir, repoRoot: repo.root, kubeconfig, concurrency: args.concurrency, edit, withVerdicts: run === 0,
    }, profile);
    for (const key of ['coldMs', 'warmMs', 'incrementalMs', 'peakRssMb']) samples[key].push(ours[key]);
    checks.incrementalSawEdit &&= ours.incrementalSawEdit;
    checks.warmSameAsCold &&= ours.warmSameAsCold;
    verdicts ??= ours.verdicts;
    coldDryRuns ??= ours.coldDryRuns;
    log(`run ${run + 1}/${args.runs} (${objects.length} objects): cold ${round(ours.coldMs)} ms, warm ${round(ours.warmMs)} ms, `
      + `incremental ${round(ours.incrementalMs)} ms, kubectl loop ${round(loop.ms)} ms, floor ${round(floor.ms)} ms`);
  }
  if (args.profile) log(`CPU profile of the last Driftline run: ${path.join(workDir, 'profiles')}`);
  const agreement = compareVerdicts(rendered, verdicts, kubectlVerdicts(peerRun), peerRun);
  const medians = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, round(median(values), key === 'peakRssMb' ? 1 : 0)]));
  return {
    objects: objects.length, ...size, appInstances: repo.apps.length, runs: args.runs, concurrency: args.concurrency,
    ...medians,
    coldDryRuns,
    kubectlOverCold: round(medians.kubectlLoopMs / medians.coldMs, 1),
    coldOverFloor: round(medians.coldMs / medians.floorMs, 1),
    warmOverCold: round(medians.warmMs / medians.coldMs, 3),
    agreement: round(agreement.agreement, 4), agreed: agreement.agreed, compared: agreement.total,
    disagreements: agreement.disagreements.slice(0, 50),
    knownDrift: { changes: drift.changes.length, ...checkKnownDrift(drift, verdicts) },
    checks, samples: Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, values.map((v) => round(v, 1))])),
  };
}

function machineInfo() {
  const kubectlVersion = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  return {
    cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGb: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`, node: process.version,
    kubectl: kubectlVersion.status === 0 ? JSON.parse(kubectlVersion.stdout).clientVersion.gitVersion : 'unknown',
    loadAverageAtStart: os.loadavg().map((v) => round(v, 2)),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  delete process.env.KUBECTL_EXTERNAL_DIFF; // the verdict parser reads `diff -u -N` headers
  build();
  const machine = machineInfo();
  const sizes = args.sizes ?? (args.quick ? [DEFAULT_SIZE] : SIZES);
  const points = [];
  let serverVersion;
  for (const size of args.only === undefined || args.only === 'drift' ? sizes : []) {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-bench-'));
    const cluster = await startCluster({ log });
    serverVersion = cluster.info.version;
    try {
      points.push(await benchSize(size, cluster.info, args, workDir));
    } finally {
      await cluster.stop();
      if (!args.profile) fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  let fluxTree;
  if (args.only === undefined || args.only === 'flux-tree') {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-bench-'));
    try {
      fluxTree = await benchFluxTree(args, workDir, measureInChild, { log, median, round });
    } finally {
      if (args.profile) log(`CPU profile of the last discovery: ${path.join(workDir, 'profiles')}`);
      else fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  // Branch previews at the sizes issue 14 sets targets for (1,080 and 4,320 objects), of those --sizes/--quick pick.
  const previewPoints = [];
  for (const size of args.only === undefined || args.only === 'preview' ? sizes.filter((candidate) => objectsOf(candidate) >= objectsOf(DEFAULT_SIZE)) : []) {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-bench-'));
    const cluster = await startCluster({ log });
    try {
      previewPoints.push(await benchPreview(size, cluster.info, args, workDir, measureInChild, { log, median, round }));
    } finally {
      await cluster.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  const preview = previewPoints.find((point) => point.objects === objectsOf(DEFAULT_SIZE));
  let helmCharts;
  if (args.only === undefined || args.only === 'helm-charts') {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-bench-'));
    try {
      helmCharts = await benchHelmCharts(args, workDir, measureInChild, { log, median, round });
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  const defaultPoint = points.find((p) => p.objects === objectsOf(DEFAULT_SIZE)) ?? points[0];
  const result = {
    generatedAt: new Date().toISOString(), command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    machine: { ...machine, kubeApiserver: serverVersion, loadAverageAtEnd: os.loadavg().map((v) => round(v, 2)) },
    ...(defaultPoint ? pick(defaultPoint, ['objects', 'coldMs', 'warmMs', 'incrementalMs', 'kubectlLoopMs', 'floorMs', 'agreement', 'peakRssMb',
      'kubectlOverCold', 'coldOverFloor', 'warmOverCold']) : {}),
    targets: TARGETS,
    scalePoints: points,
    fluxTree,
    preview,
    previewPoints,
    helmCharts,
  };
  fs.mkdirSync(path.join(here, 'results'), { recursive: true });
  // A scenario alone does not overwrite the full figures.
  const file = path.join(here, 'results', args.only !== undefined && args.only !== 'drift' ? `${args.only}.json` : 'latest.json');
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
  if (points.length > 0) {
    console.log(renderTable(result));
    console.log(renderTargets(defaultPoint));
  }
  if (fluxTree) console.log(renderFluxTree(fluxTree));
  if (previewPoints.length > 0) console.log(renderPreview(previewPoints));
  if (helmCharts) console.log(renderHelmCharts(helmCharts));
  log(`wrote ${path.relative(root, file)}`);
}

function pick(object, keys) {
  return Object.fromEntries(keys.map((key) => [key, object[key]]));
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
