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
import { testClient, testCluster, testWorkspace } from '../../support/cluster';
import { FLUX_CRD_FILES, installGitOpsCrds, installResourceSetCrd } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { fluxHelmRelease, fluxKustomization as kustomization, helmRepository, makeFluxRepo, type FluxRepo } from './fluxRepo';
import { runCli } from './runCli';

const admin = testClient();
const setup = { dryRun: false, fieldManager: 'test-setup', force: true };
const follow = { intervalMs: 50, timeoutMs: 20_000 };

/**
 * Plays the controller once the request is written, beside the follow loop (onRequested is not awaited).
 * `settled()` rethrows what the play failed on (an assertion on the request), so that it fails the test
 * by its own message instead of escaping as an unhandled rejection.
 */
function playController(act: (requestedAt: string) => Promise<void>) {
  let played: Promise<unknown> = Promise.resolve();
  return {
    onRequested: (requestedAt: string) => { played = act(requestedAt).then(() => undefined, (error: unknown) => error ?? new Error('rejected')); },
    settled: async () => { const error = await played; if (error) throw error; },
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

/** Plays a Flux controller: records the request as handled, with the Ready condition it would report. */
async function writeFluxHandled(ref: ObjectRef, requestedAt: string, ready: { status: string; reason: string; message: string }): Promise<void> {
  await admin.mergePatch(ref, {
    status: {
      lastHandledReconcileAt: requestedAt,
      conditions: [{ type: 'Ready', ...ready, lastTransitionTime: new Date().toISOString() }],
    },
  }, { subresource: 'status' });
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
    const controller = playController(async (requestedAt) => {
      const annotated = await admin.get(refTo(live));
      assert.equal(annotated?.metadata.annotations?.[FLUX_RECONCILE_ANNOTATION], requestedAt);
      await writeFluxHandled(refTo(live), requestedAt, { status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:abc' });
    });
    const result = await syncThroughController(admin, live, {
      ...follow, onProgress: (message) => progress.push(message), onRequested: controller.onRequested,
    });
    await controller.settled();
    assert.equal(result.outcome, 'Succeeded');
    assert.equal(result.message, 'Applied revision: main@sha1:abc');
    assert.equal((await admin.get(refTo(live)))?.metadata.annotations?.[FLUX_RECONCILE_ANNOTATION], result.requestedAt);
  });

  it('Flux: reports a failed reconcile with the controller\'s own message', async () => {
    const live = await admin.serverSideApply(kustomization(namespace), setup);
    const controller = playController((requestedAt) =>
      writeFluxHandled(refTo(live), requestedAt, { status: 'False', reason: 'BuildFailed', message: 'kustomize build failed: missing base' }));
    const result = await syncThroughController(admin, live, { ...follow, onRequested: controller.onRequested });
    await controller.settled();
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
    const controller = playController(async (requestedAt) => {
      const requested = await admin.get(refTo(live));
      const operation = requested?.operation as { sync?: { prune?: boolean }; info?: { name: string; value: string }[] };
      assert.deepEqual(operation.sync, { prune: true });
      assert.deepEqual(operation.info, [{ name: ARGO_REQUEST_INFO, value: requestedAt }]);
      // What the application controller does when it finishes: records the state, clears the request.
      await admin.mergePatch(refTo(live), {
        operation: null,
        status: { operationState: { operation, phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: requestedAt } },
      });
    });
    const result = await syncThroughController(admin, live, { ...follow, prune: true, onRequested: controller.onRequested });
    await controller.settled();
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

describe('core/sync controller mode for a Flux Operator ResourceSet (the Flux CRDs and a ResourceSet CRD, status written by the test)', () => {
  let namespace: string;
  before(async () => {
    await installGitOpsCrds(testCluster(), FLUX_CRD_FILES);
    await installResourceSetCrd(admin);
  });
  beforeEach(async () => {
    namespace = await freshNamespace('resourceset-sync', admin);
  });

  it('Flux Operator: refuses a ResourceSet paused by fluxcd.controlplane.io/reconcile: disabled; resume removes it and the reconcile is followed until the operator handles it', async () => {
    const paused = { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet', metadata: { name: 'tenants', namespace, annotations: { 'fluxcd.controlplane.io/reconcile': 'disabled' } }, spec: { inputs: [] } };
    const live = await admin.serverSideApply(paused, setup);
    await assert.rejects(syncThroughController(admin, live, follow), /ResourceSet\/.*\/tenants is suspended: resume it first/);

    await setFluxSuspended(admin, refTo(live), false);
    const resumed = await admin.get(refTo(live));
    assert.equal(resumed?.metadata.annotations?.['fluxcd.controlplane.io/reconcile'], undefined);
    const controller = playController((requestedAt) =>
      writeFluxHandled(refTo(live), requestedAt, { status: 'True', reason: 'ReconciliationSucceeded', message: 'Reconciliation finished in 1s' }));
    const result = await syncThroughController(admin, resumed!, { ...follow, onRequested: controller.onRequested });
    await controller.settled();
    assert.equal(result.outcome, 'Succeeded');
    await setFluxSuspended(admin, refTo(live), true);
    assert.equal((await admin.get(refTo(live)))?.metadata.annotations?.['fluxcd.controlplane.io/reconcile'], 'disabled');
    await assert.rejects(syncThroughController(admin, (await admin.get(refTo(live)))!, { intervalMs: 50, timeoutMs: 500 }), /is suspended/);
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

  const request = () => ({ environment: 'dev', app: 'apps' });

  it('plans a direct sync while the Kustomization is not in the cluster', async () => {
    const prepared = await prepareSync(testWorkspace(root), request());
    assert.equal(prepared.mode, 'direct');
  });

  it('asks the live Kustomization to reconcile, unless direct mode is chosen', async () => {
    await admin.serverSideApply(kustomization(namespace), setup);
    const prepared = await prepareSync(testWorkspace(root), request());
    assert.equal(prepared.mode, 'controller');
    assert.equal(prepared.mode === 'controller' && prepared.controller.metadata.namespace, namespace);
    assert.equal((await prepareSync(testWorkspace(root), { ...request(), mode: 'direct' })).mode, 'direct');
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

describe('sync chooses controller mode when the app\'s Flux HelmRelease is live', () => {
  let namespace: string;
  let repo: FluxRepo;
  before(async () => installGitOpsCrds(testCluster()));
  beforeEach(async () => {
    namespace = await freshNamespace('helm-mode', admin);
    repo = makeFluxRepo({ 'clusters/dev/podinfo.yaml': [helmRepository(namespace), fluxHelmRelease(namespace)].map((object) => stringify(object)).join('---\n') });
  });
  afterEach(() => repo.cleanup());

  /** Plays helm-controller: once the request annotation appears, records it as handled with a Ready condition. */
  async function handleRequestWhenWritten(release: ObjectRef, ready: { status: string; message: string }): Promise<string> {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      const requestedAt = (await admin.get(release))?.metadata.annotations?.[FLUX_RECONCILE_ANNOTATION];
      if (!requestedAt) continue;
      await writeFluxHandled(release, requestedAt, { reason: 'InstallSucceeded', ...ready });
      return requestedAt;
    }
    throw new Error(`no reconcile request appeared on ${release.kind} ${release.namespace}/${release.name}`);
  }

  it('prepares controller mode for the live HelmRelease (even though its chart needs network to render)', async () => {
    await admin.serverSideApply(fluxHelmRelease(namespace), setup);
    const prepared = await prepareSync(testWorkspace(repo.root), { environment: 'dev', app: 'podinfo' });
    prepared.target.client.close();
    assert.equal(prepared.mode, 'controller');
    assert.equal(prepared.mode === 'controller' && `${prepared.controller.kind} ${prepared.controller.metadata.namespace}/${prepared.controller.metadata.name}`,
      `HelmRelease ${namespace}/podinfo`);
  });

  it('writes the reconcile request on the HelmRelease and completes when status.lastHandledReconcileAt equals it', async () => {
    const live = await admin.serverSideApply(fluxHelmRelease(namespace), setup);
    const progress: string[] = [];
    const [result, handledAt] = await Promise.all([
      syncThroughController(admin, live, { ...follow, onProgress: (message) => progress.push(message) }),
      handleRequestWhenWritten(refTo(live), { status: 'True', message: 'Helm install succeeded for release podinfo' }),
    ]);
    assert.equal(result.requestedAt, handledAt);
    assert.equal(result.outcome, 'Succeeded');
    assert.equal(result.message, 'Helm install succeeded for release podinfo');
    assert.deepEqual(result.controller, { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'podinfo', namespace });
  });

  it('driftline sync --yes asks the HelmRelease to reconcile and reports helm-controller\'s outcome', async () => {
    const live = await admin.serverSideApply(fluxHelmRelease(namespace), setup);
    const args = ['--repo', repo.root, '--kubeconfig', testCluster().kubeconfig, '--env', 'dev', '--app', 'podinfo', '--yes', '--timeout', '30'];
    const [run] = await Promise.all([
      runCli(runSync, args),
      handleRequestWhenWritten(refTo(live), { status: 'False', message: 'install retries exhausted' }),
    ]);
    assert.match(run.stdout, new RegExp(`managed by HelmRelease ${namespace}/podinfo`));
    assert.match(run.stdout, new RegExp(`HelmRelease ${namespace}/podinfo: Failed: install retries exhausted`));
    assert.equal(run.code, 2);
  });

  it('times out naming helm-controller when nothing handles the request', async () => {
    const live = await admin.serverSideApply(fluxHelmRelease(namespace), setup);
    await assert.rejects(
      syncThroughController(admin, live, { intervalMs: 50, timeoutMs: 1_000 }),
      new RegExp(`HelmRelease/${namespace}/podinfo did not report handling the request of .* within 1 s: is helm-controller running in this cluster\\?`),
    );
  });
});
