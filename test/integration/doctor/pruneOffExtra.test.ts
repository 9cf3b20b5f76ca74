// `driftline doctor --live` against the real API server: an object Git no longer declares, left in the
// cluster by a Flux Kustomization that does not prune, is reported on that Kustomization; the same Extra object
// under a Kustomization that prunes is not (Flux deletes it at the next reconcile).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runDoctorCommand } from '../../../src/cli/doctor';
import { testCluster, testClient } from '../../support/cluster';
import { FLUX_CRD_FILES, installGitOpsCrds } from '../../support/crds';
import { applyFluxTreeAsFlux, writeFluxTreeRepo } from '../../support/fluxTreeRepo';
import { removeTempRepos } from '../../support/gitopsExamples';
import { freshNamespace } from '../../support/namespace';
import { runCommand } from '../../unit/cli/listCommands';

interface JsonFinding { rule: string; message: string; location: { file: string; line?: number }; app?: string }

describe('driftline doctor --live: Extra objects of an app that does not prune', function () {
  this.timeout(120_000);
  const info = testCluster();
  let root: string;
  let namespace: string;

  before(async () => {
    await installGitOpsCrds(info, FLUX_CRD_FILES);
    namespace = await freshNamespace('doctor-prune');
    root = await writeFluxTreeRepo(namespace, info.adminContext);
    await applyFluxTreeAsFlux(root, namespace, testClient());
    // redis-conf leaves Git; the cluster still has it, in redis's inventory.
    await fs.writeFile(path.join(root, 'infra/redis/kustomization.yaml'), 'resources: [redis-tuning.yaml]\n');
  });

  after(removeTempRepos);

  const setRedisPrune = async (prune: boolean) => {
    const file = path.join(root, 'infra/redis.yaml');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace(/prune: (true|false)/, `prune: ${prune}`));
  };
  const doctor = async (...args: string[]) => {
    const result = await runCommand(runDoctorCommand, ['--repo', root, '--kubeconfig', info.kubeconfig, '--format', 'json', ...args]);
    return { ...result, findings: (JSON.parse(result.stdout || '{"findings":[]}') as { findings: JsonFinding[]; skipped: string[] }).findings };
  };

  it('reports the Extra ConfigMap on the Kustomization with prune off, where to turn it on', async () => {
    await setRedisPrune(false);
    const { findings, stderr } = await doctor('--live');
    const prune = findings.filter((finding) => finding.rule === 'prune-off-extra');
    assert.equal(prune.length, 1, stderr || JSON.stringify(findings));
    assert.equal(path.relative(root, prune[0]!.location.file), 'infra/redis.yaml');
    assert.equal(prune[0]!.app, 'redis');
    assert.match(prune[0]!.message, new RegExp(`Kustomization ${namespace}/redis does not prune, so Extra ConfigMap ${namespace}/redis-conf stays in the cluster`));
  });

  it('says nothing of it when the Kustomization prunes, and skips the rule without --live', async () => {
    await setRedisPrune(true);
    const live = await doctor('--live');
    assert.deepEqual(live.findings.filter((finding) => finding.rule === 'prune-off-extra'), []);
    await setRedisPrune(false);
    const offline = await runCommand(runDoctorCommand, ['--repo', root]);
    assert.match(offline.stdout, /not checked without --live: prune-off-extra/);
    assert.doesNotMatch(offline.stdout, /prune-off-extra\]/);
  });
});
