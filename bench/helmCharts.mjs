// The Helm charts scenario (issue 13): 50 HelmReleases of charts from a chart repository on loopback (a static
// HTTP server of `helm package` + `helm repo index` output) and 10 from an OCI registry on loopback (Debian's
// docker-registry, charts pushed with `helm push`), rendered by a fresh process with an empty chart cache, then
// with the cache that run filled, and a warm refresh; beside them the same 60 charts rendered from folders in the
// repo, the reference. Target: with a warm cache, at most 1.5x the local charts' cost. Needs no cluster.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTestTools } from '../test/tools/tools.mjs';
import { generateHelmCharts, HELM_CHARTS_SIZE } from './generateHelmCharts.mjs';

const require = createRequire(import.meta.url);
const support = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'test', 'support');

export const HELM_CHARTS_TARGET = 1.5;

/**
 * @param {{ runs: number }} args
 * @param {string} workDir
 * @param {(mode: string, job: object) => Promise<object>} measureInChild
 */
export async function benchHelmCharts(args, workDir, measureInChild, { log, median, round }) {
  // helm (test/tools/install-helm.sh) and docker-registry (the apt list) for this process and the measuring ones.
  process.env.PATH = withTestTools(process.env).PATH;
  const { serveFolder } = require(path.join(support, 'chartRepository.js'));
  const { startRegistry } = require(path.join(support, 'ociRegistry.js'));
  const scenario = generateHelmCharts({ dir: path.join(workDir, 'helm-charts') });
  const server = await serveFolder(scenario.chartRepositoryFolder);
  const registry = await startRegistry();
  try {
    await scenario.push(registry);
    scenario.writeRemoteRepo(server.url, registry.host);
    log(`helm charts: ${HELM_CHARTS_SIZE.http} charts at ${server.url}, ${HELM_CHARTS_SIZE.oci} at oci://${registry.host}/charts`);
    const samples = { emptyCacheMs: [], warmCacheMs: [], warmRefreshMs: [], localMs: [], localWarmRefreshMs: [], emptyCacheRenderMs: [], warmCacheRenderMs: [], localRenderMs: [] };
    const checks = { failures: 0, firstFailure: undefined, sameObjectsAsLocal: true, warmSameAsCold: true, fetchesPerRun: undefined };
    for (let run = 0; run < args.runs; run++) {
      const cacheRoot = path.join(workDir, `cache-${run}`);
      fs.mkdirSync(cacheRoot, { recursive: true });
      const empty = await measureInChild('helm-charts', { workDir, repoRoot: scenario.remoteRepo, cacheRoot });
      const warm = await measureInChild('helm-charts', { workDir, repoRoot: scenario.remoteRepo, cacheRoot });
      const local = await measureInChild('helm-charts', { workDir, repoRoot: scenario.localRepo, cacheRoot: path.join(workDir, 'cache-local') });
      for (const measured of [empty, warm, local]) {
        checks.failures += measured.failed;
        checks.firstFailure ??= measured.firstFailure;
        checks.warmSameAsCold &&= measured.warmSameAsCold;
      }
      checks.sameObjectsAsLocal &&= empty.digest === local.digest && warm.digest === local.digest;
      checks.fetchesPerRun ??= empty.fetches;
      samples.emptyCacheMs.push(empty.totalMs);
      samples.warmCacheMs.push(warm.totalMs);
      samples.warmRefreshMs.push(warm.warmMs);
      samples.localMs.push(local.totalMs);
      samples.localWarmRefreshMs.push(local.warmMs);
      samples.emptyCacheRenderMs.push(empty.renderMs);
      samples.warmCacheRenderMs.push(warm.renderMs);
      samples.localRenderMs.push(local.renderMs);
      log(`helm charts run ${run + 1}/${args.runs}: empty cache ${round(empty.totalMs)} ms, warm cache ${round(warm.totalMs)} ms, `
        + `warm refresh ${round(warm.warmMs)} ms, local charts ${round(local.totalMs)} ms (${local.apps} apps, ${local.objects} objects)`);
    }
    const medians = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, round(median(values))]));
    const warmCacheOverLocal = round(medians.warmCacheMs / medians.localMs, 2);
    return {
      ...HELM_CHARTS_SIZE, runs: args.runs, ...medians,
      emptyCacheOverLocal: round(medians.emptyCacheMs / medians.localMs, 2), warmCacheOverLocal,
      warmCacheRenderOverLocal: round(medians.warmCacheRenderMs / medians.localRenderMs, 2),
      target: HELM_CHARTS_TARGET, met: warmCacheOverLocal <= HELM_CHARTS_TARGET, checks,
      samples: Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, values.map((v) => round(v, 1))])),
    };
  } finally {
    await server.stop();
    await registry.stop();
  }
}

/** The scenario's markdown table. */
export function renderHelmCharts(result) {
  const ms = (value) => `${value} ms`;
  return [
    '', `Helm charts (${result.http} from a chart repository + ${result.oci} from an OCI registry, loopback; medians of ${result.runs}):`, '',
    '| cold, empty cache | cold, warm cache | warm refresh | local charts (reference) | warm cache / local | target | same objects as local |',
    '|---|---|---|---|---|---|---|',
    `| ${ms(result.emptyCacheMs)} | ${ms(result.warmCacheMs)} | ${ms(result.warmRefreshMs)} | ${ms(result.localMs)} | ${result.warmCacheOverLocal}x | `
      + `${result.target}x ${result.met ? 'met' : 'NOT met'} | ${result.checks.sameObjectsAsLocal && result.checks.failures === 0 ? 'yes' : `NO (${result.checks.firstFailure ?? 'objects differ'})`} |`,
  ].join('\n');
}
