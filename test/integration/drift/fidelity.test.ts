// Fidelity against the real API server: apply apps as Driftline would, check that nothing reads as drift, then
// cause drift of every kind and check that each change is reported once, with its reason, and nothing else is.
import * as assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterClient } from '../../../src/core/cluster/client';
import { resourceYaml } from '../../../src/core/drift/diffText';
import { DriftEngine } from '../../../src/core/drift/engine';
import type { StatusReport } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { appOf, applyApps, comparisonCounts, disagreementsWithKubectlDiff, flagged, removeRepo, resourceOf, statusOnce, verdictsOf, writeRepo } from './driftFixture';
import { demoRepoPath } from '../../support/gitopsExamples';

/** The project's own kustomize app (a Deployment and a Service, namePrefix kustomize-), as the demo repo has it. */
const GUESTBOOK = demoRepoPath('guestbook');
const SECRET_PASSWORD = 's3cr3t-value';

const ownApp = (namespace: string) => ({
  'config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${namespace}
  labels: {}
data:
  replicas: "1"
  removed-key: will-be-removed
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: deleted-config
data:
  a: b
`,
  'secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
type: Opaque
stringData:
  username: admin
  password: ${SECRET_PASSWORD}
`,
  'workload.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations: {}
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: ghcr.io/example/api:1.0
          ports:
            - containerPort: 8080
          resources:
            requests: {cpu: 1, memory: 64Mi}
            limits: {cpu: "1500m", memory: "128Mi"}
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports:
    - port: 80
      targetPort: 8080
`,
  'flux.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenant
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
  'widget.yaml': `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
spec:
  size: 3
`,
});

describe('drift fidelity against a real kube-apiserver', function () {
  this.timeout(180_000);
  const info = testCluster();
  let admin: ClusterClient;
  let namespace: string;
  let privateNamespace: string;
  let sharedName: string;
  let root: string;
  let engine: DriftEngine;
  let clean: StatusReport;
  let drifted: StatusReport;

  before(async () => {
    admin = testClient();
    await installGitOpsCrds(info);
    namespace = await freshNamespace('drift');
    privateNamespace = await freshNamespace('drift-private');
    sharedName = `shared-${crypto.randomBytes(3).toString('hex')}`;
    root = writeRepo(
      [{ name: 'test', context: info.adminContext }, { name: 'restricted', context: info.limitedContext }],
      [
        { name: 'guestbook', environments: ['test'], namespace, files: {}, copyFrom: GUESTBOOK },
        { name: 'own', environments: ['test'], namespace, files: ownApp(namespace) },
        {
          name: 'readonly', environments: ['restricted'], files: {
            'config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${sharedName}, namespace: ${info.limitedNamespace}}\ndata: {mode: normal}\n` +
              `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: hidden, namespace: ${privateNamespace}}\ndata: {mode: normal}\n`,
          },
        },
      ],
    );
    await applyApps(root, 'test', admin, (object) => object.kind === 'Widget');
    await applyApps(root, 'restricted', admin);
    engine = new DriftEngine({ repoRoot: root, kubeconfig: info.kubeconfig });
    clean = await engine.status();

    // Drift of every kind, each once.
    const other = { fieldManager: 'kubectl-edit' };
    await admin.mergePatch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'kustomize-guestbook-ui' }, { spec: { replicas: 3 } }, other);
    await admin.mergePatch({ apiVersion: 'v1', kind: 'Service', namespace, name: 'kustomize-guestbook-ui' }, { metadata: { labels: { team: 'observability' } } }, other);
    await admin.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'deleted-config' });
    await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leftover', namespace, labels: { 'driftline.dev/app': 'own' } }, data: { x: 'y' } });
    await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace }, data: { x: 'y' } });
    await admin.mergePatch({ apiVersion: 'v1', kind: 'Secret', namespace, name: 'db-credentials' }, { stringData: { password: 'changed-live' } }, other);
    await admin.mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: info.limitedNamespace, name: sharedName }, { data: { mode: 'changed' } }, other);
    await admin.mergePatch({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace, name: 'tenant' }, {
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:abc', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    }, { subresource: 'status' });
    // A field newer than the 1.20 server (pod `os`, Kubernetes 1.23) added in Git to a live Deployment.
    const workloadFile = path.join(root, 'apps/own/workload.yaml');
    fs.writeFileSync(workloadFile, fs.readFileSync(workloadFile, 'utf8').replace('    spec:\n      containers:', '    spec:\n      os: {name: linux}\n      containers:'));
    const configFile = path.join(root, 'apps/own/config.yaml');
    fs.writeFileSync(configFile, fs.readFileSync(configFile, 'utf8').replace('  removed-key: will-be-removed\n', ''));
    engine.filesChanged([configFile, workloadFile]);
    drifted = await engine.status();
  });

  after(() => {
    engine?.close();
    if (root) removeRepo(root);
  });

  it('reports nothing but the CRD-less object right after applying unchanged objects (defaults, quantities, empty maps, port protocols)', () => {
    assert.deepEqual(flagged(clean), [
      'restricted/readonly: Unknown ConfigMap/hidden',
      'test/own: Unknown Widget/w1',
    ]);
    const own = appOf(clean, 'test', 'own');
    assert.notEqual(resourceOf(own, 'Deployment', 'api').comparison, 'client-side');
    assert.equal(resourceOf(own, 'Kustomization', 'tenant').status, 'Synced');
  });

  it('reports each induced change once, and nothing else', () => {
    assert.deepEqual(flagged(drifted), [
      `restricted/readonly: OutOfSync ConfigMap/${sharedName}`,
      'restricted/readonly: Unknown ConfigMap/hidden',
      'test/guestbook: OutOfSync Deployment/kustomize-guestbook-ui',
      'test/own: Extra ConfigMap/leftover',
      'test/own: Missing ConfigMap/deleted-config',
      'test/own: OutOfSync ConfigMap/settings',
      'test/own: OutOfSync Secret/db-credentials',
      'test/own: Unknown Deployment/api',
      'test/own: Unknown Widget/w1',
    ]);
  });

  it('reports OutOfSync with the changed path when a field was changed live by another manager', () => {
    const deployment = resourceOf(appOf(drifted, 'test', 'guestbook'), 'Deployment', 'kustomize-guestbook-ui');
    assert.deepEqual(deployment.changedPaths, ['/spec/replicas']);
    assert.match(deployment.reason ?? '', /\/spec\/replicas/);
    assert.match(resourceYaml(deployment, 'live') ?? '', /replicas: 3/);
    assert.match(resourceYaml(deployment, 'desired') ?? '', /replicas: 1/);
  });

  it('reports OutOfSync when a field Driftline applied was removed from Git', () => {
    const settings = resourceOf(appOf(drifted, 'test', 'own'), 'ConfigMap', 'settings');
    assert.deepEqual(settings.changedPaths, ['/data/removed-key']);
  });

  it('keeps a label another manager added live Synced', () => {
    const service = resourceOf(appOf(drifted, 'test', 'guestbook'), 'Service', 'kustomize-guestbook-ui');
    assert.equal(service.status, 'Synced');
    assert.match(resourceYaml(service, 'live') ?? '', /team: observability/);
  });

  it('reports Missing (health Missing) when an object was deleted live', () => {
    const deleted = resourceOf(appOf(drifted, 'test', 'own'), 'ConfigMap', 'deleted-config');
    assert.equal(deleted.status, 'Missing');
    assert.equal(deleted.health, 'Missing');
  });

  it('reports Extra for a live object carrying the app\'s tracking label that Git does not have, and ignores unlabelled ones', () => {
    const own = appOf(drifted, 'test', 'own');
    assert.equal(resourceOf(own, 'ConfigMap', 'leftover').status, 'Extra');
    assert.ok(!own.resources.some((resource) => resource.name === 'unrelated'));
  });

  it('reports a changed Secret by key, without its values anywhere in the report', () => {
    const secret = resourceOf(appOf(drifted, 'test', 'own'), 'Secret', 'db-credentials');
    assert.equal(secret.status, 'OutOfSync');
    assert.deepEqual(secret.changedPaths, ['/data/password']);
    assert.match(resourceYaml(secret, 'live') ?? '', /password: "\*\*\* \(before\)"/);
    assert.match(resourceYaml(secret, 'desired') ?? '', /password: "\*\*\* \(after\)"/);
    assert.match(resourceYaml(secret, 'live') ?? '', /username: "\*\*\*"/);
    assert.match(resourceYaml(secret, 'desired') ?? '', /username: "\*\*\*"/);
    const text = JSON.stringify(drifted);
    for (const value of [SECRET_PASSWORD, 'changed-live']) assert.ok(!text.includes(value), `${value} leaked`);
    for (const value of [SECRET_PASSWORD, 'changed-live', 'admin']) {
      assert.ok(!text.includes(Buffer.from(value).toString('base64')), `base64 of ${value} leaked`);
    }
  });

  it('reports Unknown naming the group when an object\'s CRD is not installed, while the rest of the app compares', () => {
    const own = appOf(drifted, 'test', 'own');
    const widget = resourceOf(own, 'Widget', 'w1');
    assert.equal(widget.status, 'Unknown');
    assert.equal(widget.reason, 'no kind Widget in group example.com (example.com/v1): is its CRD installed?');
    assert.equal(resourceOf(own, 'Service', 'api').status, 'Synced');
  });

  it('reports Unknown with the server\'s words for a field the server refuses, while the rest of the app compares', () => {
    const api = resourceOf(appOf(drifted, 'test', 'own'), 'Deployment', 'api');
    assert.equal(api.status, 'Unknown');
    assert.match(api.reason ?? '', new RegExp(`server refused Deployment/${namespace}/api \\(context "admin"\\): .*os.*(not declared in schema|unknown field)`));
  });

  it('does not count status a controller wrote as drift, and reads a Flux object\'s health from its Ready condition', () => {
    const tenant = resourceOf(appOf(drifted, 'test', 'own'), 'Kustomization', 'tenant');
    assert.equal(tenant.status, 'Synced');
    assert.equal(tenant.health, 'Healthy');
    assert.equal(resourceOf(appOf(clean, 'test', 'own'), 'Kustomization', 'tenant').health, 'Progressing');
  });

  it('reports Unknown naming the namespace and user for a namespace the user may not read', () => {
    const hidden = resourceOf(appOf(drifted, 'restricted', 'readonly'), 'ConfigMap', 'hidden');
    assert.equal(hidden.status, 'Unknown');
    assert.match(hidden.reason ?? '', new RegExp(`Forbidden.*"${info.limitedUser}".*${privateNamespace}`));
  });

  it('falls back to a client-side comparison, marked as such, where the user may read but not dry-run', () => {
    const shared = resourceOf(appOf(drifted, 'restricted', 'readonly'), 'ConfigMap', sharedName);
    assert.equal(shared.comparison, 'client-side');
    assert.deepEqual(shared.changedPaths, ['/data/mode']);
  });

  it('gives a user who may not dry-run an exact Synced where managedFields prove the object unchanged', () => {
    const cleanShared = resourceOf(appOf(clean, 'restricted', 'readonly'), 'ConfigMap', sharedName);
    assert.equal(cleanShared.status, 'Synced');
    assert.equal(cleanShared.comparison, 'managed-fields');
  });

  it('gives Deployment health Progressing (no controller observed it) and Service health Healthy', () => {
    const own = appOf(drifted, 'test', 'own');
    assert.equal(resourceOf(own, 'Deployment', 'api').health, 'Progressing');
    assert.equal(resourceOf(own, 'Service', 'api').health, 'Healthy');
    assert.equal(resourceOf(appOf(drifted, 'test', 'guestbook'), 'Deployment', 'kustomize-guestbook-ui').health, 'Progressing');
  });

  it('gives, for every drifted object, the verdict the dry-runs give, answering the unchanged ones from managedFields', async () => {
    const everyDryRun = await statusOnce(root, info.kubeconfig, { alwaysDryRun: true });
    assert.deepEqual(verdictsOf(drifted), verdictsOf(everyDryRun));
    const proven = comparisonCounts(drifted)['managed-fields'] ?? 0;
    assert.ok(proven >= 3, JSON.stringify(comparisonCounts(drifted)));
    const settings = resourceOf(appOf(drifted, 'test', 'own'), 'ConfigMap', 'settings');
    assert.equal(settings.comparison, 'server-side-dry-run', 'a key removed from Git must go to the server');
  });

  it('agrees with `kubectl diff --server-side --field-manager driftline` on every object (the oracle)', async () => {
    assert.deepEqual(await disagreementsWithKubectlDiff(root, drifted, 'test', { kubeconfig: info.kubeconfig, context: info.adminContext }), []);
  });
});
