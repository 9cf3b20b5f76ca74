// Controller mode against the real Flux and Argo CD CRDs. No controller runs in the test cluster: each test
// plays the controller by writing the status it would write, and checks the request and the follow loop.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { runSync } from '../../../src/cli/sync';
import type { KubeObject, ObjectRef } from '../../../src/core/model';
import {
  ARGO_REQUEST_INFO, FLUX_RECONCILE_ANNOTATION, findLiveController, prepareSync, setFluxSuspended, syncThroughController,
} from '../../../src/core/sync';
import { testClient, testCluster } from '../../support/cluster';
import { installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { runCli } from './runCli';

const admin = testClient();
const setup = { dryRun: false, fieldManager: 'test-setup', force: true };
const follow = { intervalMs: 50, timeoutMs: 20_000 };

function kustomization(namespace: string, suspend = false): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace },
    spec: { interval: '10m', prune: true, path: './apps/staging', sourceRef: { kind: 'GitRepository', name: 'flux-system' }, suspend },
  };
}

function application(namespace: string): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'guestbook', namespace },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', path: 'guestbook', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
    },
  };
}

function refTo(object: KubeObject): ObjectRef {
  return { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
}

describe('core/sync controller mode (real Flux and Argo CD CRDs, status written by the test)', () => {
  let namespace: string;
  before(async () => installGitOpsCrds(testCluster()));
  beforeEach(async () => {
    namespace = await freshNamespace('controller', admin);
  });

  it('finds the app\'s Flux Kustomization live, and nothing when it is not there', async () => {
    await admin.serverSideApply(kustomization(namespace), setup);
    const live = await findLiveController(admin, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'apps', namespace });
    assert.equal(live?.metadata.name, 'apps');
    assert.equal(await findLiveController(admin, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'other', namespace }), undefined);
  });

  it('Flux: writes reconcile.fluxcd.io/requestedAt and completes when status.lastHandledReconcileAt equals it', async () => {
    const live = await admin.serverSideApply(kustomization(namespace), setup);
    const progress: string[] = [];
    const result = await syncThroughController(admin, live, {
      ...follow,
      onProgress: (message) => progress.push(message),
      onRequested: async (requestedAt) => {
        const annotated = await admin.get(refTo(live));
        assert.equal(annotated?.metadata.annotations?.[FLUX_RECONCILE_ANNOTATION], requestedAt);
        await admin.mergePatch(refTo(live), {
          status: {
            lastHandledReconcileAt: requestedAt,
            conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:abc', lastTransitionTime: new Date().toISOString() }],
          },
        }, { subresource: 'status' });
      },
    });
    assert.equal(result.outcome, 'Succeeded');
    assert.equal(result.message, 'Applied revision: main@sha1:abc');
    assert.equal((await admin.get(refTo(live)))?.metadata.annotations?.[FLUX_RECONCILE_ANNOTATION], result.requestedAt);
  });

  it('Flux: reports a failed reconcile with the controller\'s own message', async () => {
    const live = await admin.serverSideApply(kustomization(namespace), setup);
    const result = await syncThroughController(admin, live, {
      ...follow,
      onRequested: async (requestedAt) => {
        await admin.mergePatch(refTo(live), {
          status: {
            lastHandledReconcileAt: requestedAt,
            conditions: [{ type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'kustomize build failed: missing base', lastTransitionTime: new Date().toISOString() }],
          },
        }, { subresource: 'status' });
      },
    });
    assert.equal(result.outcome, 'Failed');
    assert.equal(result.message, 'kustomize build failed: missing base');
  });

  it('Flux: times out with a message naming the object and the controller when nothing handles the request', async () => {
    const live = await admin.serverSideApply(kustomization(namespace), setup);
    await assert.rejects(
      syncThroughController(admin, live, { intervalMs: 50, timeoutMs: 1_000 }),
      new RegExp(`Kustomization/${namespace}/apps did not report handling the request of .* within 1 s: is kustomize-controller running in this cluster\\?`),
    );
  });

  it('Flux: stops following on cancellation, saying the request stays', async () => {
    const live = await admin.serverSideApply(kustomization(namespace), setup);
    const abort = new AbortController();
    await assert.rejects(
      syncThroughController(admin, live, { ...follow, signal: abort.signal, onRequested: () => abort.abort() }),
      /Stopped following Kustomization\/.*\/apps; the request of .* stays and kustomize-controller will still handle it/,
    );
  });

  it('Flux: refuses to request a reconcile of a suspended Kustomization; resume clears spec.suspend and requests one', async () => {
    const live = await admin.serverSideApply(kustomization(namespace, true), setup);
    await assert.rejects(syncThroughController(admin, live, follow), /Kustomization\/.*\/apps is suspended: resume it first/);
    assert.equal((await admin.get(refTo(live)))?.metadata.annotations?.[FLUX_RECONCILE_ANNOTATION], undefined);

    const requestedAt = await setFluxSuspended(admin, refTo(live), false);
    const resumed = await admin.get(refTo(live));
    assert.equal((resumed?.spec as { suspend: boolean }).suspend, false);
    assert.equal(resumed?.metadata.annotations?.[FLUX_RECONCILE_ANNOTATION], requestedAt);
    await setFluxSuspended(admin, refTo(live), true);
    assert.equal(((await admin.get(refTo(live)))?.spec as { suspend: boolean }).suspend, true);
  });

  it('Argo CD: writes .operation.sync and completes when status.operationState shows that operation finished', async () => {
    const live = await admin.serverSideApply(application(namespace), setup);
    const result = await syncThroughController(admin, live, {
      ...follow,
      prune: true,
      onRequested: async (requestedAt) => {
        const requested = await admin.get(refTo(live));
        const operation = requested?.operation as { sync?: { prune?: boolean }; info?: { name: string; value: string }[] };
        assert.deepEqual(operation.sync, { prune: true });
        assert.deepEqual(operation.info, [{ name: ARGO_REQUEST_INFO, value: requestedAt }]);
        // What the application controller does when it finishes: records the state, clears the request.
        await admin.mergePatch(refTo(live), {
          operation: null,
          status: { operationState: { operation, phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: requestedAt } },
        });
      },
    });
    assert.equal(result.outcome, 'Succeeded');
    assert.equal(result.message, 'successfully synced (all tasks run)');
  });

  it('Argo CD: does not mistake an earlier operation\'s result for ours, and times out clearly', async () => {
    const live = await admin.serverSideApply(application(namespace), setup);
    await admin.mergePatch(refTo(live), { status: { operationState: { phase: 'Succeeded', message: 'an older sync', operation: { sync: {} }, startedAt: '2026-01-01T00:00:00Z' } } });
    await assert.rejects(
      syncThroughController(admin, (await admin.get(refTo(live)))!, { intervalMs: 50, timeoutMs: 1_000 }),
      /Application\/.*\/guestbook did not report handling the request .* is the Argo CD application controller running/,
    );
  });

  it('Argo CD: refuses to start a sync while an operation is running, and writes nothing', async () => {
    const live = await admin.serverSideApply(application(namespace), setup);
    await admin.mergePatch(refTo(live), { status: { operationState: { phase: 'Running', message: 'one of 3 tasks done', operation: { sync: {} }, startedAt: '2026-01-01T00:00:00Z' } } });
    const running = (await admin.get(refTo(live)))!;
    await assert.rejects(syncThroughController(admin, running, follow), /Application\/.*\/guestbook already has an operation running \(one of 3 tasks done\)/);
    assert.equal((await admin.get(refTo(live)))?.operation, undefined);
  });
});

describe('sync chooses controller mode when the app\'s Flux Kustomization is live', () => {
  let namespace: string;
  let root: string;
  before(async () => installGitOpsCrds(testCluster()));
  beforeEach(async () => {
    namespace = await freshNamespace('flux-mode', admin);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-flux-repo-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write('.driftline.yaml', `environments:\n  - name: dev\n    context: ${testCluster().adminContext}\n`);
    write('clusters/dev/apps.yaml', stringify({ ...kustomization(namespace), spec: { ...kustomization(namespace).spec as object, path: './apps/dev', targetNamespace: namespace } }));
    write('apps/dev/config.yaml', stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { a: '1' } }));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const request = () => ({ repoRoot: root, environment: 'dev', app: 'apps', kubeconfig: testCluster().kubeconfig });

  it('plans a direct sync while the Kustomization is not in the cluster', async () => {
    const prepared = await prepareSync(request());
    assert.equal(prepared.mode, 'direct');
    prepared.target.client.close();
  });

  it('asks the live Kustomization to reconcile, unless direct mode is chosen', async () => {
    await admin.serverSideApply(kustomization(namespace), setup);
    const prepared = await prepareSync(request());
    assert.equal(prepared.mode, 'controller');
    assert.equal(prepared.mode === 'controller' && prepared.controller.metadata.namespace, namespace);
    assert.equal((await prepareSync({ ...request(), mode: 'direct' })).mode, 'direct');
  });

  it('driftline sync follows the controller and times out with a clear message when it never answers', async () => {
    await admin.serverSideApply(kustomization(namespace), setup);
    const args = ['--repo', root, '--kubeconfig', testCluster().kubeconfig, '--env', 'dev', '--app', 'apps'];
    const dry = await runCli(runSync, [...args, '--dry-run']);
    assert.equal(dry.code, 0);
    assert.match(dry.stdout, new RegExp(`managed by Kustomization ${namespace}/apps .*Sync asks it to reconcile`));
    assert.equal((await admin.get(refTo(kustomization(namespace))))?.metadata.annotations?.[FLUX_RECONCILE_ANNOTATION], undefined);
    const run = await runCli(runSync, [...args, '--yes', '--timeout', '1']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /did not report handling the request of .* within 1 s: is kustomize-controller running/);
    assert.ok((await admin.get(refTo(kustomization(namespace))))?.metadata.annotations?.[FLUX_RECONCILE_ANNOTATION]);
  });
});
