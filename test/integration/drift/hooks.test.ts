// Hook objects are not desired state: an Argo CD PostSync Job is deleted by Argo CD after it succeeds, so
// its absence from the cluster is not drift. It is listed apart on the app (AppResult.hooks).
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { appOf, applyApps, flagged, removeRepo, statusOnce, writeRepo } from './driftFixture';

const THIS_REPO = 'https://github.com/acme/hooks.git';

describe('DriftEngine: hook resources', function () {
  this.timeout(60_000);
  const info = testCluster();
  let root: string;
  let namespace: string;

  before(async () => {
    namespace = await freshNamespace('hooks');
    root = writeRepo([{ name: 'test', context: info.adminContext }], [], {
      repoURLs: [THIS_REPO], discovery: { flux: false, argo: true, conventions: false },
    });
    const job = (name: string, annotations: string) => `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\n  annotations: {${annotations}}\n` +
      'spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: main, image: busybox, command: [sh, -c, "true"]}]\n';
    const files: Record<string, string> = {
      'argocd/web.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n  namespace: argocd\nspec:\n  project: default\n` +
        `  source:\n    repoURL: ${THIS_REPO}\n    path: web\n  destination:\n    name: test\n    namespace: ${namespace}\n`,
      'web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata: {color: blue}\n',
      'web/migrate.yaml': job('migrate', 'argocd.argoproj.io/hook: PostSync, argocd.argoproj.io/hook-delete-policy: HookSucceeded'),
      'web/seed.yaml': job('seed', 'helm.sh/hook: pre-install'),
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    // As Argo CD leaves it: the ConfigMap applied, the hook Jobs run and deleted.
    await applyApps(root, 'test', testClient(), (object) => object.kind === 'Job');
    // A hook Argo CD kept (delete policy BeforeHookCreation), carrying the app's tracking label: not a prune candidate.
    await testClient().serverSideApply({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'presync-leftover', namespace, labels: { 'app.kubernetes.io/instance': 'web' }, annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
      data: { ran: 'yes' },
    }, { dryRun: false, fieldManager: 'argocd-controller', force: true });
  });

  after(() => {
    if (root) removeRepo(root);
  });

  it('an Argo CD app whose PostSync (and helm.sh/hook) Jobs are not live is Synced, its hooks listed apart; a leftover live hook is not Extra', async () => {
    const report = await statusOnce(root, info.kubeconfig);
    assert.deepEqual(flagged(report), []);
    const web = appOf(report, 'test', 'web');
    assert.equal(web.status, 'Synced');
    assert.deepEqual(web.resources.map((resource) => `${resource.kind}/${resource.name} ${resource.status}`), ['ConfigMap/web-config Synced']);
    assert.deepEqual(web.hooks?.map((hook) => `${hook.kind}/${hook.namespace}/${hook.name} ${hook.hook}`),
      [`Job/${namespace}/migrate PostSync`, `Job/${namespace}/seed pre-install`]);
    assert.equal(web.hooks?.[0].source.file, path.join(root, 'web/migrate.yaml'));
  });
});
