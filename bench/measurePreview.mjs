// The preview measurements (issue 14), in the measuring child (bench/measure.mjs preview <job.json>):
//   oneFileLiveMs   a warm engine (a status done, as the VS Code view has), one overlay file edited in the working
//                   tree, then a preview of the working tree against HEAD with the live cluster
//   oneFileColdMs   the same preview from a fresh engine (what `driftline preview --live` costs in CI)
//   allAppsGitMs    a fresh engine, `--base main --head <branch>` where the branch changes every app, Git only
//   coldRenderMs    a fresh engine: one cold discovery and render of every app (what allAppsGitMs is held to, 3x)
import fs from 'node:fs';
import { core, timed } from './compiledCore.mjs';



const changingApps = (result) => result.environments.flatMap((environment) => environment.apps.filter((app) => app.change !== 'unchanged'));

export async function measurePreview(job) {
  const { DriftEngine } = core('drift/engine.js');
  const { previewRevisions } = core('preview/preview.js');
  const { renderApps } = core('render/renderApps.js');
  const engineOptions = { repoRoot: job.repoRoot, kubeconfig: job.kubeconfig, concurrency: job.concurrency };
  // The preview's own line says where its base came from (the engine's caches, or a checkout).
  const previewLines = [];
  const warmOptions = { ...engineOptions, log: (line) => { if (line.startsWith('preview ')) previewLines.push(line); } };
  const original = fs.readFileSync(job.edit.file, 'utf8');
  if (!original.includes(job.edit.from)) throw new Error(`${job.edit.file} has no "${job.edit.from}" to edit`);
  const results = {};
  const warm = new DriftEngine(warmOptions);
  try {
    await warm.status();
    fs.writeFileSync(job.edit.file, original.replace(job.edit.from, job.edit.to));
    warm.filesChanged([job.edit.file]);
    const [oneFileLiveMs, oneFile] = await timed(() => previewRevisions(warm, { base: 'HEAD', live: true }));
    const cold = new DriftEngine(engineOptions);
    const [oneFileColdMs, oneFileCold] = await timed(() => previewRevisions(cold, { base: 'HEAD', live: true }));
    cold.close();
    Object.assign(results, {
      oneFileLiveMs, oneFileColdMs,
      oneFileChangedApps: changingApps(oneFile).map((app) => `${app.environment}/${app.name}`),
      oneFileRenderedAgain: oneFile.rendering.renderedAgain,
      oneFileBaseFromCaches: previewLines.some((line) => line.includes('base from the engine\'s caches')),
      oneFileSameCold: JSON.stringify(changingApps(oneFileCold).map((app) => app.counts)) === JSON.stringify(changingApps(oneFile).map((app) => app.counts)),
      oneFileHeadVsLive: changingApps(oneFile).flatMap((app) => app.objects.filter((o) => o.change !== 'unchanged').map((o) => o.headVsLive?.status)),
    });
  } finally {
    fs.writeFileSync(job.edit.file, original);
    warm.close();
  }
  const gitOnly = new DriftEngine(engineOptions);
  const [allAppsGitMs, all] = await timed(() => previewRevisions(gitOnly, { base: 'main', head: job.branch }));
  gitOnly.close();
  const render = new DriftEngine(engineOptions);
  const [coldRenderMs, rendered] = await timed(async () => {
    const model = await render.discover();
    return renderApps(model.environments.flatMap((environment) => environment.apps), render.workspace.renderOptionsFor(model));
  });
  render.close();
  return {
    ...results, allAppsGitMs, coldRenderMs,
    allAppsChanged: changingApps(all).length, apps: rendered.length, allAppsRenderedAgain: all.rendering.renderedAgain,
    renderErrors: rendered.filter((app) => app.error).length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
