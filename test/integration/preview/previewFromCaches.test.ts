// A working-tree preview from an engine that has run a status (the VS Code view's): the base comes from the
// engine's own render cache instead of a checkout, and must say exactly what a fresh engine (which checks the
// base out and renders it) says. Real git repository, real kustomize, real API server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DriftEngine } from '../../../src/core/drift/engine';
import { DRIFTLINE_APP_LABEL, DRIFTLINE_ENV_ANNOTATION, DRIFTLINE_FIELD_MANAGER } from '../../../src/core/model';
import type { PreviewResult } from '../../../src/core/preview/model';
import { previewRevisions } from '../../../src/core/preview/preview';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { snapshotRepo } from '../git/gitFixture';
import { branch, configMap, makeFleet, previewOnce, type Fleet } from './previewFixture';

/** What a reader of the result sees, without the time it was made. */
function comparable(result: PreviewResult): Omit<PreviewResult, 'generatedAt'> {
  const { generatedAt: _generatedAt, ...rest } = result;
  return rest;
}

describe('branch preview of the working tree from a warm engine', function () {
  this.timeout(120_000);
  const info = testCluster();
  const fleets: Fleet[] = [];
  after(() => { for (const made of fleets) made.repo.cleanup(); });

  /** A fleet whose prod web ConfigMap is live as main has it, and an engine that has run one status of it. */
  async function warmEngine(): Promise<{ fleet: Fleet; engine: DriftEngine; logs: string[] }> {
    const prod = await freshNamespace('preview-prod');
    const fleet = makeFleet(prod, await freshNamespace('preview-staging'));
    fleets.push(fleet);
    await testClient().serverSideApply({
      apiVersion: 'v1', kind: 'ConfigMap', data: { LOG_LEVEL: 'info' },
      metadata: { name: 'web', namespace: prod, labels: { [DRIFTLINE_APP_LABEL]: 'web' }, annotations: { [DRIFTLINE_ENV_ANNOTATION]: 'prod' } },
    }, { dryRun: false, fieldManager: DRIFTLINE_FIELD_MANAGER, force: true });
    const logs: string[] = [];
    const engine = new DriftEngine({ repoRoot: fleet.repo.root, kubeconfig: info.kubeconfig, contextOverrides: { prod: info.adminContext, staging: info.adminContext }, log: (line) => logs.push(line) });
    await engine.status();
    return { fleet, engine, logs };
  }

  const edit = (fleet: Fleet, engine: DriftEngine, file: string, text: string) => {
    fleet.repo.write(file, text);
    engine.filesChanged([path.join(fleet.repo.root, file)]);
  };

  it('takes the base of an edited file from the cache, with no checkout, and reports what a fresh engine reports', async () => {
    const { fleet, engine, logs } = await warmEngine();
    try {
      edit(fleet, engine, 'base/web/configmap.yaml', configMap('web', { LOG_LEVEL: 'debug' }));
      const before = snapshotRepo(fleet.repo);
      const worktrees = fs.readdirSync(path.join(fleet.repo.root, '.git')).includes('worktrees');
      const warm = await previewRevisions(engine, { base: 'main', live: true });
      assert.ok(logs.some((line) => /^preview main: 1 files changed; .*base from the engine's caches, discovery reused, 2 of 3 apps rendered again/.test(line)), logs.join('\n'));
      assert.equal(fs.readdirSync(path.join(fleet.repo.root, '.git')).includes('worktrees'), worktrees, 'no worktree was added');
      assert.deepEqual(snapshotRepo(fleet.repo), before);
      const web = warm.environments.find((environment) => environment.name === 'prod')!.apps.find((app) => app.name === 'web')!;
      assert.deepEqual(web.objects.map((object) => [object.change, object.changedPaths, object.headVsLive?.status, object.liveVsBase?.status]),
        [['changed', ['/data/LOG_LEVEL'], 'OutOfSync', 'Synced']]);
      const fresh = await previewOnce(fleet.repo.root, { base: 'main', live: true, context: info.adminContext });
      assert.deepEqual(comparable(warm), comparable(fresh));
    } finally {
      engine.close();
    }
  });

  it('still takes the base from the cache after several edits of the file in a row (the state before them is kept)', async () => {
    const { fleet, engine, logs } = await warmEngine();
    try {
      for (const level of ['debug', 'trace', 'warn', 'error', 'fatal', 'panic']) {
        edit(fleet, engine, 'base/web/configmap.yaml', configMap('web', { LOG_LEVEL: level }));
        await engine.status();
      }
      logs.length = 0;
      const warm = await previewRevisions(engine, { base: 'main', live: true });
      assert.ok(logs.some((line) => /^preview main: 1 files changed; .*base from the engine's caches, discovery reused, 2 of 3 apps rendered again/.test(line)), logs.join('\n'));
      const fresh = await previewOnce(fleet.repo.root, { base: 'main', live: true, context: info.adminContext });
      assert.deepEqual(comparable(warm), comparable(fresh));
      assert.equal(warm.counts.changed, 2);
    } finally {
      engine.close();
    }
  });

  it('checks the base out when the cache holds no render from the base\'s inputs (a branch never rendered), with the same result', async () => {
    const { fleet, engine, logs } = await warmEngine();
    try {
      branch(fleet.repo, 'never-rendered', { 'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'warn' }) });
      edit(fleet, engine, 'base/web/configmap.yaml', configMap('web', { LOG_LEVEL: 'trace' }));
      const warm = await previewRevisions(engine, { base: 'never-rendered', live: true });
      assert.ok(logs.some((line) => /^preview never-rendered: .*base checked out, discovery reused, 2 of 3 apps rendered again/.test(line)), logs.join('\n'));
      const fresh = await previewOnce(fleet.repo.root, { base: 'never-rendered', live: true, context: info.adminContext });
      assert.deepEqual(comparable(warm), comparable(fresh));
      assert.equal(warm.counts.changed, 2);
    } finally {
      engine.close();
    }
  });
});
