// Flux postBuild.substituteFrom against the real API server: a ConfigMap or Secret that no build of the cluster
// emits is read live, as kustomize-controller reads it, and the app's objects compare with the values it holds;
// an optional one that does not exist is skipped (defaults apply), any other is Unknown naming it; a SOPS
// Secret of the build output is decrypted in memory. Values from Secrets are masked in the report.
import * as assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { FLUX_KUSTOMIZE_NAME_LABEL, FLUX_KUSTOMIZE_NAMESPACE_LABEL, type KubeObject } from '../../../src/core/model';
import { encryptText, keyGroupFor } from '../../../src/core/sops';
import { prepareSync } from '../../../src/core/sync/prepare';
import { testClient, testCluster, testWorkspace } from '../../support/cluster';
import { FLUX_CRD_FILES, installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { plaintextSecret } from '../../support/plaintext';
import { newAgeIdentity } from '../../support/sops';
import { makeFluxRepo, type FluxRepo } from '../sync/fluxRepo';
import { appOf, resourceOf, statusOnce } from './driftFixture';

const asFlux = { fieldManager: 'kustomize-controller', force: true, dryRun: false };

describe('DriftEngine: Flux postBuild.substituteFrom read live', function () {
  this.timeout(120_000);
  const info = testCluster();
  const savedKey = process.env.SOPS_AGE_KEY;
  const token = plaintextSecret('live-token');
  const apiKey = plaintextSecret('sops-api-key');
  let repo: FluxRepo;
  let namespace: string;

  const kustomization = (name: string, substituteFrom: { kind: string; name: string; optional?: boolean }[]) => stringify({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace },
    spec: {
      interval: '10m', prune: true, path: `./${name}`, targetNamespace: namespace,
      sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' }, postBuild: { substituteFrom },
    },
  });
  const settings = (name: string, data: Record<string, string>) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
  /** What kustomize-controller applied for Kustomization `owner`: the object substituted, with its labels. */
  const applyAsFlux = (owner: string, object: KubeObject) => testClient().serverSideApply({
    ...object, metadata: { ...object.metadata, namespace, labels: { [FLUX_KUSTOMIZE_NAME_LABEL]: owner, [FLUX_KUSTOMIZE_NAMESPACE_LABEL]: namespace } },
  }, asFlux);
  const liveSettings = (owner: string, data: Record<string, string>) => applyAsFlux(owner, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${owner}` }, data });

  before(async () => {
    await installGitOpsCrds(info, FLUX_CRD_FILES);
    namespace = await freshNamespace('postbuild-live');
    const { identity, recipient } = await newAgeIdentity();
    const sopsVars = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-vars\n  namespace: ${namespace}\nstringData:\n  API_KEY: ${apiKey}\n`;
    repo = makeFluxRepo({
      // The cluster root applies the Kustomizations and the SOPS-encrypted Secret; the other sources exist only live.
      'clusters/dev/sops-vars.yaml': await encryptText(sopsVars, 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), cryptRules: { encrypted_regex: '^(data|stringData)$' } }),
      'clusters/dev/live.yaml': kustomization('live', [{ kind: 'ConfigMap', name: 'live-vars' }]),
      'clusters/dev/optional.yaml': kustomization('optional', [{ kind: 'ConfigMap', name: 'absent-vars', optional: true }, { kind: 'ConfigMap', name: 'live-vars' }]),
      'clusters/dev/required.yaml': kustomization('required', [{ kind: 'ConfigMap', name: 'live-vars' }, { kind: 'ConfigMap', name: 'required-vars' }]),
      'clusters/dev/secret.yaml': kustomization('secret', [{ kind: 'Secret', name: 'live-secret' }]),
      'clusters/dev/sops.yaml': kustomization('sops', [{ kind: 'Secret', name: 'sops-vars' }]),
      'live/cm.yaml': settings('settings-live', { region: '${REGION}' }),
      'optional/cm.yaml': settings('settings-optional', { region: '${REGION}', tier: '${TIER:=gold}' }),
      'required/cm.yaml': settings('settings-required', { region: '${REGION}' }),
      'secret/cm.yaml': settings('settings-secret', { token: 'Bearer ${TOKEN}' }),
      'sops/cm.yaml': settings('settings-sops', { key: '${API_KEY}' }),
    });
    const admin = testClient();
    await admin.serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live-vars', namespace }, data: { REGION: 'eu-live' } }, asFlux);
    await admin.serverSideApply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'live-secret', namespace }, data: { TOKEN: Buffer.from(token).toString('base64') } }, asFlux);
    await liveSettings('live', { region: 'eu-live' });
    await liveSettings('optional', { region: 'eu-live', tier: 'gold' });
    await liveSettings('secret', { token: `Bearer ${token}` });
    await liveSettings('sops', { key: apiKey });
    process.env.SOPS_AGE_KEY = identity;
  });

  after(() => {
    if (savedKey === undefined) delete process.env.SOPS_AGE_KEY;
    else process.env.SOPS_AGE_KEY = savedKey;
    repo?.cleanup();
  });

  it('compares with the values of live sources: Synced; an optional missing source is skipped and the default used; Secret values base64-decoded and masked', async () => {
    const report = await statusOnce(repo.root, info.kubeconfig);
    for (const name of ['live', 'optional', 'secret', 'sops']) {
      const app = appOf(report, 'dev', name);
      assert.equal(app.status, 'Synced', `${name}: ${app.reason ?? JSON.stringify(app.resources.map((resource) => [resource.name, resource.status, resource.reason]))}`);
    }
    const secret = resourceOf(appOf(report, 'dev', 'secret'), 'ConfigMap', 'settings-secret');
    assert.deepEqual([secret.live?.data, secret.desired?.data], [{ token: '***' }, { token: '***' }], 'a field a Secret filled is masked');
    const text = JSON.stringify(report);
    assert.ok(!text.includes(token) && !text.includes(apiKey), 'no value from a Secret in the report');
  });

  it('is Unknown naming a source that is neither built nor live and not optional', async () => {
    const required = appOf(await statusOnce(repo.root, info.kubeconfig), 'dev', 'required');
    assert.equal(required.status, 'Unknown');
    assert.match(required.reason ?? '', new RegExp(`postBuild.substituteFrom: ConfigMap ${namespace}/required-vars is neither in the build output nor in the cluster`));
  });

  it('is Unknown naming the source and the cause when the user may not read it (Forbidden)', async () => {
    // The limited user reads only its own namespace: the app's objects live there, its Kustomization's sources in flux-system.
    const limited = makeFluxRepo({
      '.driftline.yaml': stringify({ environments: [{ name: 'dev', context: info.limitedContext }] }),
      'clusters/dev/app.yaml': stringify({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'app', namespace: 'flux-system' },
        spec: { interval: '10m', path: './app', targetNamespace: info.limitedNamespace, sourceRef: { kind: 'GitRepository', name: 'flux-system' },
          postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars', optional: true }] } },
      }),
      'app/cm.yaml': settings('settings-forbidden', { region: '${REGION}' }),
    });
    try {
      const app = appOf(await statusOnce(limited.root, info.kubeconfig), 'dev', 'app');
      assert.equal(app.status, 'Unknown');
      assert.match(app.reason ?? '', new RegExp(`postBuild.substituteFrom: ConfigMap flux-system/cluster-vars cannot be read: Forbidden: user "${info.limitedUser}" .*may not get ConfigMap/flux-system/cluster-vars`));
    } finally {
      limited.cleanup();
    }
  });

  it('follows a live change of a source and of a field a Secret filled: OutOfSync, the change masked as before/after', async () => {
    await testClient().serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live-vars', namespace }, data: { REGION: 'us-live' } }, asFlux);
    const rotated = plaintextSecret('rotated-token');
    await liveSettings('secret', { token: `Bearer ${rotated}` });
    const report = await statusOnce(repo.root, info.kubeconfig);
    const live = resourceOf(appOf(report, 'dev', 'live'), 'ConfigMap', 'settings-live');
    assert.equal(live.status, 'OutOfSync', 'Git now says us-live through the live ConfigMap');
    assert.deepEqual(live.desired?.data, { region: 'us-live' });
    const secret = resourceOf(appOf(report, 'dev', 'secret'), 'ConfigMap', 'settings-secret');
    assert.equal(secret.status, 'OutOfSync');
    assert.deepEqual([secret.live?.data, secret.desired?.data], [{ token: '*** (before)' }, { token: '*** (after)' }]);
    assert.ok(!JSON.stringify(report).includes(rotated) && !JSON.stringify(report).includes(token));
  });

  it('plans a direct sync with the values read live, and refuses one whose source is missing, naming it', async () => {
    const workspace = testWorkspace(repo.root);
    try {
      const prepared = await prepareSync(workspace, { environment: 'dev', app: 'live', mode: 'direct' });
      assert.equal(prepared.mode, 'direct');
      const change = prepared.mode === 'direct' ? prepared.plan.changes.find((candidate) => candidate.ref.name === 'settings-live') : undefined;
      assert.deepEqual([change?.action, change?.object?.data], ['update', { region: 'us-live' }]);
      await assert.rejects(prepareSync(workspace, { environment: 'dev', app: 'required', mode: 'direct' }),
        new RegExp(`Cannot sync dev/required: postBuild.substituteFrom: ConfigMap ${namespace}/required-vars is neither in the build output nor in the cluster`));
    } finally {
      workspace.close();
    }
  });
});
