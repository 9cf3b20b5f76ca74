// The branch preview scenario (issue 14) on the 1,080- and 4,320-object repos (`npm run bench -- --only preview`):
// a one-file preview against the live cluster (target 1 s at 1,080 objects, 2 s at 4,320) beside the peer a user
// scripts today (`kubectl diff` of the edited app, and of every app), and a Git-only preview of a branch that
// changes every app (target at most 3x one cold render). The cluster holds the repo as applied (no drift), so
// the one-file preview's change is the only difference.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateRepo } from './generate.mjs';
import { diffArgs, kubectlDiffLoop } from './peer.mjs';
import { kubectl } from './kubectl.mjs';
import { applyBaseline, renderAll } from './seed.mjs';

/** The one-file target by repo size (objects), and the Git-only ratio for any size. */
export const PREVIEW_TARGETS = { oneFileLiveMsAtMost: { 1080: 1000, 4320: 2000 }, allAppsGitOverColdRenderAtMost: 3 };
export const PREVIEW_BRANCH = 'every-app-changed';

function git(cwd, ...args) {
  const result = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@driftline.dev', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd}: ${result.stderr}`);
}

/** A branch whose commit edits every app's overlay patch; the checkout goes back to main. */
function commitEveryAppChanged(repo) {
  git(repo.root, 'checkout', '-q', '-b', PREVIEW_BRANCH);
  for (const app of repo.apps) {
    const text = fs.readFileSync(app.patchFile, 'utf8');
    fs.writeFileSync(app.patchFile, text.replace(/LOG_LEVEL: \w+/, 'LOG_LEVEL: trace'));
  }
  git(repo.root, 'commit', '-q', '-a', '-m', 'every app: LOG_LEVEL trace');
  git(repo.root, 'checkout', '-q', 'main');
}

export async function benchPreview(size, info, args, workDir, measureInChild, { log, median, round }) {
  const repo = generateRepo({ ...size, context: info.adminContext, dir: path.join(workDir, 'repo') });
  const rendered = await renderAll(repo.apps);
  const objects = rendered.reduce((sum, app) => sum + app.objects.length, 0);
  log(`preview: applying ${objects} objects`);
  await applyBaseline({ kubeconfig: info.kubeconfig, context: info.adminContext, environments: repo.environments, rendered });
  commitEveryAppChanged(repo);
  const patchFile = repo.apps[0].patchFile;
  const level = /LOG_LEVEL: (\w+)/.exec(fs.readFileSync(patchFile, 'utf8'))[1];
  const edit = { file: patchFile, from: `LOG_LEVEL: ${level}`, to: 'LOG_LEVEL: error' };
  const samples = { oneFileLiveMs: [], oneFileColdMs: [], allAppsGitMs: [], coldRenderMs: [], peakRssMb: [], kubectlOneAppMs: [] };
  let first;
  let everyBaseFromCaches = true;
  for (let run = 0; run < args.runs; run++) {
    const ours = await measureInChild('preview', { workDir, repoRoot: repo.root, kubeconfig: info.kubeconfig, concurrency: args.concurrency, edit, branch: PREVIEW_BRANCH });
    const peer = await withEdit(edit, () => timed(() => kubectl(diffArgs(repo.apps[0].overlay), { kubeconfig: info.kubeconfig, context: info.adminContext, allowExit: [0, 1] })));
    for (const key of Object.keys(samples)) samples[key].push(key === 'kubectlOneAppMs' ? peer.ms : ours[key]);
    everyBaseFromCaches &&= ours.oneFileBaseFromCaches;
    first ??= { ...ours, kubectlOneAppSawEdit: peer.result.code === 1 && peer.result.stdout.includes('LOG_LEVEL: error') };
    log(`preview run ${run + 1}/${args.runs} (${objects} objects): one file live ${round(ours.oneFileLiveMs)} ms (cold engine ${round(ours.oneFileColdMs)} ms, ` +
      `kubectl diff of the app ${round(peer.ms)} ms), every app Git only ${round(ours.allAppsGitMs)} ms, one cold render ${round(ours.coldRenderMs)} ms`);
  }
  // What a user without Driftline scripts to see what the edit would change live: kubectl diff of every app (once).
  const loop = await withEdit(edit, () => kubectlDiffLoop({ kubeconfig: info.kubeconfig, context: info.adminContext, apps: repo.apps }));
  log(`preview (${objects} objects): kubectl diff loop over ${repo.apps.length} apps ${round(loop.ms)} ms`);
  const medians = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, round(median(values), key === 'peakRssMb' ? 1 : 0)]));
  return {
    objects, runs: args.runs, ...medians, kubectlLoopMs: round(loop.ms),
    kubectlLoopOverOneFile: round(loop.ms / medians.oneFileLiveMs, 1),
    allAppsGitOverColdRender: round(medians.allAppsGitMs / medians.coldRenderMs, 2),
    checks: {
      oneFileChangedApps: first.oneFileChangedApps, oneFileRenderedAgain: first.oneFileRenderedAgain, oneFileHeadVsLive: first.oneFileHeadVsLive,
      oneFileBaseFromCaches: everyBaseFromCaches,
      oneFileSameCold: first.oneFileSameCold, allAppsChanged: first.allAppsChanged, apps: first.apps,
      kubectlOneAppSawEdit: first.kubectlOneAppSawEdit, kubectlLoopAppsDiffering: loop.results.filter((result) => result.code === 1).length,
      kubectlLoopErrors: loop.results.filter((result) => result.code > 1).length,
      allAppsRenderedAgain: first.allAppsRenderedAgain, renderErrors: first.renderErrors,
    },
    targets: PREVIEW_TARGETS,
    samples: Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, values.map((v) => round(v, 1))])),
  };
}

/** Runs `work` with the one-file edit in the working tree, restored afterwards whatever happens. */
async function withEdit(edit, work) {
  const original = fs.readFileSync(edit.file, 'utf8');
  fs.writeFileSync(edit.file, original.replace(edit.from, edit.to));
  try {
    return await work();
  } finally {
    fs.writeFileSync(edit.file, original);
  }
}

async function timed(work) {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

export function renderPreview(points) {
  const met = (ok) => (ok ? 'met' : 'NOT met');
  return points.map((point) => {
    const target = PREVIEW_TARGETS.oneFileLiveMsAtMost[point.objects];
    return [
      `| preview (${point.objects} objects, medians of ${point.runs}) | result | target | |`,
      '|---|---|---|---|',
      `| one file, against the live cluster (warm engine) | ${point.oneFileLiveMs} ms | ${target ? `${target} ms` : ''} | ${target ? met(point.oneFileLiveMs <= target) : ''} |`,
      `| one file, against the live cluster (fresh engine, as in CI) | ${point.oneFileColdMs} ms | | |`,
      `| peer: kubectl diff of the edited app / of every app | ${point.kubectlOneAppMs} ms / ${point.kubectlLoopMs} ms (${point.kubectlLoopOverOneFile}x the warm preview) | | |`,
      `| every app changed, Git only / one cold render | ${point.allAppsGitMs} / ${point.coldRenderMs} ms = ${point.allAppsGitOverColdRender}x | ${PREVIEW_TARGETS.allAppsGitOverColdRenderAtMost}x | ${met(point.allAppsGitOverColdRender <= PREVIEW_TARGETS.allAppsGitOverColdRenderAtMost)} |`,
    ].join('\n');
  }).join('\n\n');
}
