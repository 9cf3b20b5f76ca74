// The Helm charts measurement (issue 13), in the measuring child (bench/measure.mjs helm-charts <job.json>): a
// fresh workspace on the repo with the chart cache `job.cacheRoot` (empty or filled by an earlier run), one cold
// discovery and render of every app (charts fetched as the cache requires), then a warm render (a refresh with
// nothing changed). The digest of the rendered objects must be the same for remote and local charts.
import { createHash } from 'node:crypto';
import { core, timed } from './compiledCore.mjs';



/** What the apps render to, whatever the chart's path: objects by app, in name order. */
function digestOf(rendered) {
  const hash = createHash('sha256');
  for (const app of [...rendered].sort((a, b) => a.app.name.localeCompare(b.app.name))) {
    hash.update(`${app.app.name}\n${JSON.stringify(app.objects.map(({ object }) => object))}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

export async function measureHelmCharts(job) {
  const { Workspace } = core('workspace.js');
  const { renderApps } = core('render/renderApps.js');
  const workspace = new Workspace({ repoRoot: job.repoRoot, sources: { cacheRoot: job.cacheRoot, env: { HOME: job.cacheRoot } } });
  let fetches = 0;
  workspace.sourceFetches.onFetch((event) => { if (event.phase === 'started') fetches += 1; });
  const [totalMs, { discoverMs, renderMs, model, apps, rendered }] = await timed(async () => {
    const [discoverMs, model] = await timed(() => workspace.discover());
    const apps = model.environments.flatMap((environment) => environment.apps);
    const [renderMs, rendered] = await timed(() => renderApps(apps, workspace.renderOptionsFor(model)));
    return { discoverMs, renderMs, model, apps, rendered };
  });
  const [warmMs, again] = await timed(() => renderApps(apps, workspace.renderOptionsFor(model)));
  workspace.close();
  const failed = rendered.filter((app) => app.error || app.app.unknownReason);
  return {
    totalMs, discoverMs, renderMs, warmMs, apps: apps.length, fetches,
    objects: rendered.reduce((sum, app) => sum + app.objects.length, 0),
    failed: failed.length, firstFailure: failed[0] ? failed[0].error ?? failed[0].app.unknownReason : undefined,
    digest: digestOf(rendered), warmSameAsCold: digestOf(again) === digestOf(rendered),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
