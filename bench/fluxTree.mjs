// The Flux tree scenario (issue 12): cold discovery of a generated 3-level tree of 500 Kustomizations, side by
// side with the peer a user runs today, `kubectl kustomize` once per Kustomization folder (what `flux build`
// and flux-local do per Kustomization), one after another. Needs no cluster.
import path from 'node:path';
import { generateFluxTree } from './generateFluxTree.mjs';
import { kubectl } from './kubectl.mjs';

export const FLUX_TREE_SIZE = { teams: 10, appsPerTeam: 49 };

/** One timed pass of the peer: every Kustomization's folder, one `kubectl kustomize` at a time. */
async function kustomizeLoop(folders) {
  const start = performance.now();
  let errors = 0;
  for (const folder of folders) {
    const run = await kubectl(['kustomize', folder], { allowExit: [0, 1] });
    if (run.code !== 0) errors += 1;
  }
  return { ms: performance.now() - start, errors };
}

/**
 * @param {{ runs: number, profile: boolean }} args
 * @param {string} workDir
 * @param {(mode: string, job: object, nodeArgs?: string[]) => Promise<object>} measureInChild
 */
export async function benchFluxTree(args, workDir, measureInChild, { log, median, round }) {
  const tree = generateFluxTree({ ...FLUX_TREE_SIZE, dir: path.join(workDir, 'flux-tree') });
  log(`generated a Flux tree of ${tree.kustomizations} Kustomizations in ${tree.root}`);
  const samples = { discoveryColdMs: [], kustomizeLoopMs: [], peakRssMb: [] };
  const digests = new Set();
  let found;
  let peerErrors = 0;
  for (let run = 0; run < args.runs; run++) {
    const profile = args.profile && run === args.runs - 1 ? ['--cpu-prof', '--cpu-prof-dir', path.join(workDir, 'profiles')] : [];
    const ours = await measureInChild('discover', { workDir, repoRoot: tree.root }, profile);
    const peer = await kustomizeLoop(tree.folders);
    samples.discoveryColdMs.push(ours.ms);
    samples.peakRssMb.push(ours.peakRssMb);
    samples.kustomizeLoopMs.push(peer.ms);
    peerErrors += peer.errors;
    digests.add(ours.digest);
    found ??= ours;
    log(`flux tree run ${run + 1}/${args.runs}: discovery cold ${round(ours.ms)} ms (${ours.apps} apps), kubectl kustomize loop ${round(peer.ms)} ms`);
  }
  const medians = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, round(median(values), key === 'peakRssMb' ? 1 : 0)]));
  return {
    ...FLUX_TREE_SIZE, kustomizations: tree.kustomizations, runs: args.runs, ...medians,
    loopOverDiscovery: round(medians.kustomizeLoopMs / medians.discoveryColdMs, 1),
    // Every Kustomization an app, each app Kustomization with its team's substituteFrom, no problem: the same each run.
    found: { apps: found.apps, withSubstitute: found.withSubstitute, unknown: found.unknown, problems: found.problems, digest: found.digest },
    sameEveryRun: digests.size === 1, peerErrors,
    samples: Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, values.map((v) => round(v, 1))])),
  };
}
