// The benchmark's markdown: one row per size, then the issue's targets checked against the default size.

/** Issue 7's targets for the default size (1,080 objects). */
export const TARGETS = {
  kubectlOverColdAtLeast: 10,
  warmOverColdAtMost: 0.1,
  incrementalMsAtMost: 300,
  coldOverFloorAtMost: 2,
  agreement: 1,
  peakRssMbAtMost: 200,
};

const ms = (value) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);

export function renderTable(result) {
  const rows = result.scalePoints.map((p) => `| ${p.objects.toLocaleString('en-US')} (${p.environments}x${p.apps}x${p.objectsPerApp}) `
    + `| ${ms(p.coldMs)} | ${ms(p.warmMs)} | ${ms(p.incrementalMs)} | ${ms(p.kubectlLoopMs)} | ${ms(p.floorMs)} `
    + `| ${p.kubectlOverCold}x | ${p.coldOverFloor}x | ${(p.agreement * 100).toFixed(1)}% (${p.agreed}/${p.compared}) | ${p.peakRssMb} MB `
    + `| ${p.coldDryRuns ? `${p.coldDryRuns.sent} (${p.coldDryRuns.notNeeded} proven by managedFields)` : '-'} |`);
  const m = result.machine;
  return [
    `Driftline drift status vs \`kubectl diff --server-side\` per app (medians of ${result.scalePoints[0]?.runs} runs; `
      + `${m.cores} cores ${m.cpu}, Node ${m.node}, kubectl ${m.kubectl}, kube-apiserver ${m.kubeApiserver} on loopback).`,
    '',
    '| objects (envs x apps x objects) | Driftline cold | warm refresh | incremental (1 file) | kubectl diff loop | floor (bare dry-runs) | kubectl loop / cold | cold / floor | agreement with kubectl diff | peak RSS | cold dry-runs sent |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function renderTargets(point) {
  if (!point) return '';
  const t = TARGETS;
  const line = (ok, text) => `- ${ok ? 'met' : 'NOT met'}: ${text}`;
  return [
    '',
    `Targets at ${point.objects.toLocaleString('en-US')} objects:`,
    line(point.kubectlOverCold >= t.kubectlOverColdAtLeast, `cold at least ${t.kubectlOverColdAtLeast}x faster than the kubectl loop (${point.kubectlOverCold}x)`),
    line(point.warmOverCold <= t.warmOverColdAtMost, `warm refresh at most ${t.warmOverColdAtMost * 100}% of cold (${(point.warmOverCold * 100).toFixed(1)}%)`),
    line(point.incrementalMs <= t.incrementalMsAtMost, `incremental at most ${t.incrementalMsAtMost} ms (${Math.round(point.incrementalMs)} ms)`),
    line(point.coldOverFloor <= t.coldOverFloorAtMost, `cold within ${t.coldOverFloorAtMost}x of the floor (${point.coldOverFloor}x)`),
    line(point.agreement >= t.agreement, `100% agreement with kubectl diff (${(point.agreement * 100).toFixed(2)}%, ${point.disagreements.length} disagreements listed in latest.json)`),
    line(point.peakRssMb <= t.peakRssMbAtMost, `peak RSS at most ${t.peakRssMbAtMost} MB (${point.peakRssMb} MB)`),
    `- known drift set: ${point.knownDrift.objectsExact}/${point.knownDrift.objects} objects got the exact expected status; `
      + `${point.knownDrift.extrasFound}/${point.knownDrift.extrasExpected} Extra objects found, ${point.knownDrift.unexpectedExtras.length} unexpected`,
  ].join('\n');
}

/** Issue 12's target: cold discovery of the 500-Kustomization Flux tree. */
export const FLUX_TREE_TARGETS = { discoveryColdMsAtMost: 1500 };

export function renderFluxTree(point) {
  if (!point) return '';
  const ok = point.discoveryColdMs <= FLUX_TREE_TARGETS.discoveryColdMsAtMost;
  return [
    '',
    `Flux tree: cold discovery of ${point.kustomizations} Kustomizations (3 levels: root -> ${point.teams} teams -> ${point.appsPerTeam} apps each; `
      + `targetNamespace, patches, substituteFrom) vs \`kubectl kustomize\` per Kustomization folder (medians of ${point.runs} runs).`,
    '',
    '| Kustomizations | Driftline discovery (cold) | kubectl kustomize loop | loop / discovery | apps found (with substituteFrom) | problems | peak RSS |',
    '|---|---|---|---|---|---|---|',
    `| ${point.kustomizations} | ${ms(point.discoveryColdMs)} | ${ms(point.kustomizeLoopMs)} | ${point.loopOverDiscovery}x `
      + `| ${point.found.apps} (${point.found.withSubstitute}) | ${point.found.problems} | ${point.peakRssMb} MB |`,
    '',
    `- ${ok ? 'met' : 'NOT met'}: cold discovery under ${FLUX_TREE_TARGETS.discoveryColdMsAtMost} ms (${Math.round(point.discoveryColdMs)} ms)`,
  ].join('\n');
}
