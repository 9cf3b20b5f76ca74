// Flux HelmReleases against the real API server, installed as helm-controller installs them: a real `helm
// install` of the chart with the values helm-controller computes and a post-renderer that adds its origin labels
// through kustomize. Driftline renders them with valuesFrom from the build output and read live (an optional
// missing one skipped, a Secret's value masked), the server's version and API versions, and finds them Synced;
// a live change of a values source is drift; a missing source makes only its release Unknown, naming it.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { testClient, testCluster } from '../../support/cluster';
import { FLUX_CRD_FILES, installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { plaintextSecret } from '../../support/plaintext';
import { encryptText, keyGroupFor } from '../../../src/core/sops';
import { newAgeIdentity } from '../../support/sops';
import { makeFluxRepo, type FluxRepo } from '../sync/fluxRepo';
import { appOf, resourceOf, statusOnce } from './driftFixture';

const asFlux = { fieldManager: 'kustomize-controller', force: true, dryRun: false };

const chartFiles = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'replicas: 1\ncolor: blue\n',
  'charts/web/templates/deployment.yaml': [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ .Release.Name }}', 'spec:', '  replicas: {{ .Values.replicas }}',
    '  selector: { matchLabels: { app: {{ .Release.Name }} } }', '  template:', '    metadata: { labels: { app: {{ .Release.Name }} } }', '    spec:',
    '      containers:', '        - name: web', '          image: nginx:1.25', '          env:', '            - { name: TOKEN, value: {{ .Values.token | quote }} }', '',
  ].join('\n'),
  // What only the target cluster knows: its version, and an API only a CRD serves.
  'charts/web/templates/settings.yaml': [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: {{ .Release.Name }}-settings', 'data:', '  color: {{ .Values.color }}',
    '  kubeVersion: {{ .Capabilities.KubeVersion.Version }}', '  flux: {{ .Capabilities.APIVersions.Has "kustomize.toolkit.fluxcd.io/v1" | quote }}', '',
  ].join('\n'),
};

const run = (command: string, args: string[], input?: string) => new Promise<string>((resolve, reject) => {
  const child = execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args[0]}: ${stderr || error.message}`)) : resolve(stdout)));
  child.stdin?.end(input ?? '');
});

describe('DriftEngine: Flux HelmReleases as helm-controller renders and installs them', function () {
  this.timeout(180_000);
  const info = testCluster();
  const token = plaintextSecret('helm-token');
  const sopsToken = plaintextSecret('helm-sops-token');
  const savedKey = process.env.SOPS_AGE_KEY;
  let repo: FluxRepo;
  let namespace: string;
  let postRenderer: string;

  /** Longer than helm's 53 characters: helm-controller installs it as `<first 40>-<12 hex of sha256>`. */
  const longName = 'a-release-named-at-length-so-that-helm-controller-shortens-it';
  const release = (name: string, spec: Record<string, unknown>) => stringify({
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace },
    spec: { interval: '10m', chart: { spec: { chart: './charts/web', sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } } }, ...spec },
  });

  /** `helm install` with `values` on stdin and helm-controller's origin labels added by a kustomize post-renderer. */
  const helmInstall = async (releaseName: string, helmRelease: string, values: Record<string, unknown>, extra: string[] = []) => {
    await run('helm', ['install', releaseName, ...extra, path.join(repo.root, 'charts/web'), '--namespace', namespace, '--kubeconfig', info.kubeconfig,
      '--kube-context', info.adminContext, '--post-renderer', postRenderer, '--post-renderer-args', helmRelease, '--post-renderer-args', namespace, '--values', '-'],
    JSON.stringify(values));
  };

  before(async () => {
    await installGitOpsCrds(info, FLUX_CRD_FILES);
    namespace = await freshNamespace('helm-release');
    const { identity, recipient } = await newAgeIdentity();
    const sopsValues = stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sops-values', namespace }, stringData: { 'values.yaml': `token: ${sopsToken}\n` } });
    repo = makeFluxRepo({
      'apps/sops-values.yaml': await encryptText(sopsValues, 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), cryptRules: { encrypted_regex: '^(data|stringData)$' } }),
      'apps/sops.yaml': release('sops', { valuesFrom: [{ kind: 'Secret', name: 'sops-values' }] }),
      'clusters/dev/apps.yaml': stringify({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' },
        spec: { interval: '10m', path: './apps', sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
      }),
      'apps/kustomization.yaml': stringify({ resources: ['web.yaml', 'missing.yaml', 'built-values.yaml', 'sops.yaml', 'sops-values.yaml', 'crds.yaml', `${longName}.yaml`] }),
      'apps/built-values.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-built', namespace }, data: { 'values.yaml': 'replicas: 2\ncolor: green\n' } }),
      'apps/web.yaml': release('web', {
        valuesFrom: [
          { kind: 'ConfigMap', name: 'web-built' },
          { kind: 'ConfigMap', name: 'web-live', valuesKey: 'color', targetPath: 'color' },
          { kind: 'Secret', name: 'web-secret', valuesKey: 'token', targetPath: 'token' },
          { kind: 'ConfigMap', name: 'absent', optional: true },
        ],
        values: { replicas: 3 },
      }),
      'apps/missing.yaml': release('missing', { valuesFrom: [{ kind: 'ConfigMap', name: 'never-created' }], values: { token: 'x' } }),
      'apps/crds.yaml': release('crds', { values: { token: 'x' } }),
      [`apps/${longName}.yaml`]: release(longName, { install: { crds: 'Skip' }, values: { token: 'x' } }),
      ...chartFiles,
      // crds/ files are not templates: the CRD's group names the test's namespace, so runs sharing a cluster never meet.
      'charts/web/crds/widgets.yaml': stringify({
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${namespace}.example.com` },
        spec: { group: `${namespace}.example.com`, names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' }, scope: 'Namespaced',
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
      }),
    });
    // helm-controller's post-renderer: kustomize's label transformer over what helm rendered.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-postrender-'));
    postRenderer = path.join(bin, 'origin-labels');
    fs.writeFileSync(postRenderer, [
      '#!/bin/sh', 'set -e', 'dir=$(mktemp -d)', 'cat > "$dir/all.yaml"',
      'printf "resources: [all.yaml]\\nlabels:\\n- pairs:\\n    helm.toolkit.fluxcd.io/name: %s\\n    helm.toolkit.fluxcd.io/namespace: %s\\n" "$1" "$2" > "$dir/kustomization.yaml"',
      'kubectl kustomize "$dir"', 'rm -rf "$dir"', '',
    ].join('\n'), { mode: 0o755 });
    const admin = testClient();
    await admin.serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-built', namespace }, data: { 'values.yaml': 'replicas: 2\ncolor: green\n' } }, asFlux);
    await admin.serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-live', namespace }, data: { color: 'purple' } }, asFlux);
    await admin.serverSideApply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-secret', namespace }, data: { token: Buffer.from(token).toString('base64') } }, asFlux);
    // The values helm-controller computes: web-built, then color and token at their target paths, then spec.values.
    await helmInstall('web', 'web', { replicas: 3, color: 'purple', token }, ['--skip-crds']);
    await helmInstall('sops', 'sops', { token: sopsToken }, ['--skip-crds']);
    await helmInstall('crds', 'crds', { token: 'x' });
    await helmInstall('a-release-named-at-length-so-that-helm-c-b956e6dacc78', longName, { token: 'x' }, ['--skip-crds']);
    process.env.SOPS_AGE_KEY = identity;
  });

  after(() => {
    if (savedKey === undefined) delete process.env.SOPS_AGE_KEY;
    else process.env.SOPS_AGE_KEY = savedKey;
    repo?.cleanup();
  });

  it('is Synced when installed as helm-controller installs it: values from the build output and the cluster, the server\'s version and APIs', async () => {
    const report = await statusOnce(repo.root, info.kubeconfig);
    const web = appOf(report, 'dev', 'web');
    assert.equal(web.status, 'Synced', `${web.reason ?? JSON.stringify(web.resources.map((resource) => [resource.kind, resource.name, resource.status, resource.reason]))}`);
    const settings = resourceOf(web, 'ConfigMap', 'web-settings');
    assert.deepEqual(settings.desired?.data, { color: 'purple', kubeVersion: 'v1.20.2', flux: 'true' });
    const deployment = resourceOf(web, 'Deployment', 'web');
    assert.equal(JSON.stringify(deployment.desired).includes(token), false, 'the token from the Secret is masked in the desired object');
    assert.equal(JSON.stringify(report).includes(token), false, 'no value from a Secret in the report');
  });

  it('wants the chart\'s crds/ CRDs by default (helm install created them) and not with install.crds Skip; a long name is shortened as helm-controller does', async () => {
    const report = await statusOnce(repo.root, info.kubeconfig);
    const crds = appOf(report, 'dev', 'crds');
    assert.equal(crds.status, 'Synced', `${crds.reason ?? JSON.stringify(crds.resources.map((resource) => [resource.kind, resource.name, resource.status, resource.reason]))}`);
    assert.equal(resourceOf(crds, 'CustomResourceDefinition', `widgets.${namespace}.example.com`).status, 'Synced');
    const long = appOf(report, 'dev', longName);
    assert.equal(long.status, 'Synced', `${long.reason ?? JSON.stringify(long.resources.map((resource) => [resource.kind, resource.name, resource.status, resource.reason]))}`);
    assert.deepEqual(long.resources.map((resource) => `${resource.kind}/${resource.name}`).sort(),
      ['ConfigMap/a-release-named-at-length-so-that-helm-c-b956e6dacc78-settings', 'Deployment/a-release-named-at-length-so-that-helm-c-b956e6dacc78']);
  });

  it('takes values from a SOPS-encrypted Secret of the build output, decrypted in memory, and masks them', async () => {
    const report = await statusOnce(repo.root, info.kubeconfig);
    const sops = appOf(report, 'dev', 'sops');
    assert.equal(sops.status, 'Synced', `${sops.reason ?? JSON.stringify(sops.resources.map((resource) => [resource.kind, resource.name, resource.status, resource.reason]))}`);
    assert.equal(JSON.stringify(report).includes(sopsToken), false);
  });

  it('is Unknown naming a valuesFrom source that exists neither in the build output nor in the cluster; other releases still compare', async () => {
    const report = await statusOnce(repo.root, info.kubeconfig);
    const missing = appOf(report, 'dev', 'missing');
    assert.equal(missing.status, 'Unknown');
    assert.match(missing.reason ?? '', new RegExp(`HelmRelease ${namespace}/missing \\(.*apps/missing\\.yaml\\): valuesFrom ConfigMap ${namespace}/never-created does not exist`));
    assert.equal(appOf(report, 'dev', 'web').status, 'Synced');
  });

  it('follows a live change of a values source: the release is OutOfSync where the value shows', async () => {
    await testClient().serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-live', namespace }, data: { color: 'orange' } }, asFlux);
    try {
      const web = appOf(await statusOnce(repo.root, info.kubeconfig), 'dev', 'web');
      const settings = resourceOf(web, 'ConfigMap', 'web-settings');
      assert.equal(settings.status, 'OutOfSync');
      assert.deepEqual(settings.changedPaths, ['/data/color']);
      assert.equal(resourceOf(web, 'Deployment', 'web').status, 'Synced');
    } finally {
      await testClient().serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-live', namespace }, data: { color: 'purple' } }, asFlux);
    }
  });
});
