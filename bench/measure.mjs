// One measurement in a process of its own, so that its peak RSS is its own and every cold start is cold:
//   node bench/measure.mjs driftline <job.json>   cold status, warm status, incremental status after one edit
//   node bench/measure.mjs floor <job.json>       the bare dry-run applies of all objects, nothing else
//   node bench/measure.mjs discover <job.json>    one cold discovery of the repo (the Flux tree scenario)
//   node bench/measure.mjs preview <job.json>     branch previews (bench/measurePreview.mjs)
//   node bench/measure.mjs helm-charts <job.json> cold render of Helm apps, then warm (bench/measureHelmCharts.mjs)
// Prints one JSON line on stdout. Loads Driftline from the compiled out/ tree (`npm run build`).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { measureHelmCharts } from './measureHelmCharts.mjs';
import { measurePreview } from './measurePreview.mjs';
import { core, timed } from './compiledCore.mjs';

const { loadKubeConfig } = core('cluster/kubeconfig.js');
const { ClusterClient } = core('cluster/client.js');

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;


/** Per object of the report: `Kind/namespace/name` -> status (and reason when not Synced). */
function verdictsOf(report) {
  const verdicts = {};
  for (const env of report.environments) {
    for (const app of env.apps) {
      for (const r of app.resources) {
        verdicts[`${r.kind}/${r.namespace ?? ''}/${r.name}`] = r.status === 'Synced' ? { status: r.status } : { status: r.status, reason: r.reason, app: `${env.name}/${app.name}` };
      }
      if (app.status === 'Unknown' || app.reason) verdicts[`app:${env.name}/${app.name}`] = { status: app.status, reason: app.reason };
    }
    if (env.reason) verdicts[`env:${env.name}`] = { status: 'Unknown', reason: env.reason };
  }
  return verdicts;
}

async function measureDriftline(job) {
  const { DriftEngine } = core('drift/engine.js');
  // The engine logs per environment how many dry-runs it sent and how many managedFields made unnecessary.
  const coldDryRuns = { sent: 0, notNeeded: 0 };
  let counting = true;
  const log = (line) => {
    const counts = /(\d+) dry-runs sent \((\d+) not needed\)/.exec(line);
    if (counts && counting) {
      coldDryRuns.sent += Number(counts[1]);
      coldDryRuns.notNeeded += Number(counts[2]);
    }
    if (job.verbose) console.error(`[driftline] ${line}`);
  };
  const engine = new DriftEngine({
    repoRoot: job.repoRoot, kubeconfig: job.kubeconfig, contextOverrides: job.contextOverrides, concurrency: job.concurrency, log,
  });
  const [coldMs, cold] = await timed(() => engine.status());
  counting = false;
  const [warmMs, warm] = await timed(() => engine.status());
  const original = fs.readFileSync(job.edit.file, 'utf8');
  if (!original.includes(job.edit.from)) throw new Error(`${job.edit.file} has no "${job.edit.from}" to edit`);
  let incrementalMs;
  let edited;
  try {
    fs.writeFileSync(job.edit.file, original.replace(job.edit.from, job.edit.to));
    [incrementalMs, edited] = await timed(async () => {
      await engine.filesChanged([job.edit.file]);
      return engine.status();
    });
  } finally {
    fs.writeFileSync(job.edit.file, original);
  }
  const editedVerdict = verdictsOf(edited)[job.edit.objectKey];
  const result = {
    coldMs, warmMs, incrementalMs, peakRssMb: peakRssMb(), coldDryRuns,
    // The edit must show: an incremental refresh that missed it would be fast and wrong.
    incrementalSawEdit: editedVerdict?.status === 'OutOfSync',
    warmSameAsCold: JSON.stringify(verdictsOf(warm)) === JSON.stringify(verdictsOf(cold)),
  };
  if (job.withVerdicts) result.verdicts = verdictsOf(cold);
  engine.close();
  return result;
}

async function measureFloor(job) {
  const objects = JSON.parse(fs.readFileSync(job.objectsFile, 'utf8'));
  const client = ClusterClient.forContext(loadKubeConfig(job.kubeconfig), job.context);
  let errors = 0;
  let firstError;
  const [ms] = await timed(async () => {
    let next = 0;
    const worker = async () => {
      while (next < objects.length) {
        const object = objects[next++];
        try {
          await client.serverSideApply(object, { dryRun: true, fieldManager: 'driftline', force: true });
        } catch (error) {
          errors += 1;
          firstError ??= String(error.message ?? error);
        }
      }
    };
    await Promise.all(Array.from({ length: job.concurrency }, worker));
  });
  client.close();
  return { ms, errors, firstError, peakRssMb: peakRssMb() };
}

/** Cold discovery, and a digest of what it found (the same digest before and after a change: same results). */
async function measureDiscover(job) {
  const { discoverRepo } = core('discovery/discoverRepo.js');
  const [ms, model] = await timed(() => discoverRepo(job.repoRoot));
  const apps = model.environments.flatMap((environment) => environment.apps);
  const text = JSON.stringify(model).replaceAll(job.repoRoot, '<repo>');
  return {
    ms, peakRssMb: peakRssMb(), apps: apps.length, withSubstitute: apps.filter((app) => app.substitute?.from.length).length,
    problems: model.problems.length, unknown: apps.filter((app) => app.unknownReason).length,
    digest: createHash('sha256').update(text).digest('hex').slice(0, 16),
  };
}

const [mode, jobFile] = process.argv.slice(2);
const job = JSON.parse(fs.readFileSync(jobFile, 'utf8'));
const measure = { driftline: measureDriftline, floor: measureFloor, discover: measureDiscover, preview: measurePreview, 'helm-charts': measureHelmCharts }[mode];
if (!measure) {
  console.error('usage: node bench/measure.mjs driftline|floor|discover|preview|helm-charts <job.json>');
  process.exit(2);
}
const result = await measure(job);
// Exit only once the line is out: a pipe takes a long line in several writes, and exit would cut it.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
