// Real example apps users start from, applied as Driftline would: no false drift on any of their objects,
// and kubectl diff agrees object by object.
import * as assert from 'node:assert/strict';
import type { StatusReport } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { applyApps, comparisonCounts, disagreementsWithKubectlDiff, flagged, removeRepo, statusOnce, verdictsOf, writeRepo } from './driftFixture';
import { describeWithShared, sharedPath } from '../../support/shared';

const EXAMPLES = sharedPath('gitops-examples/argocd-example-apps');

describeWithShared('gitops-examples/argocd-example-apps', 'argocd-example-apps sock-shop and guestbook', function () {
  this.timeout(180_000);
  const info = testCluster();
  let root: string;
  let report: StatusReport;

  before(async () => {
    const namespace = await freshNamespace('sock-shop');
    root = writeRepo([{ name: 'test', context: info.adminContext }], [
      { name: 'sock-shop', environments: ['test'], namespace, files: {}, copyFrom: `${EXAMPLES}/sock-shop` },
      { name: 'guestbook', environments: ['test'], namespace, files: {}, copyFrom: `${EXAMPLES}/guestbook` },
    ]);
    await applyApps(root, 'test', testClient());
    report = await statusOnce(root, info.kubeconfig);
  });

  after(() => { if (root) removeRepo(root); });

  it('reports all of their objects Synced right after applying them', () => {
    const apps = report.environments[0].apps;
    assert.deepEqual(apps.map((app) => [app.name, app.counts.synced]).sort(), [['guestbook', 2], ['sock-shop', 29]]);
    assert.deepEqual(flagged(report), []);
  });

  it('answers most objects from managedFields without a dry-run, exactly as the dry-runs answer', async () => {
    const everyDryRun = await statusOnce(root, info.kubeconfig, { alwaysDryRun: true });
    assert.deepEqual(verdictsOf(report), verdictsOf(everyDryRun));
    assert.equal(comparisonCounts(everyDryRun)['managed-fields'], undefined);
    assert.ok((comparisonCounts(report)['managed-fields'] ?? 0) >= 20, JSON.stringify(comparisonCounts(report)));
  });

  it('agrees with kubectl diff --server-side on each of them', async () => {
    assert.deepEqual(await disagreementsWithKubectlDiff(root, report, 'test', { kubeconfig: info.kubeconfig, context: info.adminContext }), []);
  });
});
