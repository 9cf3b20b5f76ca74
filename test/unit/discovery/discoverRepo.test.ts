import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import type { AppDefinition, RepoModel } from '../../../src/core/model';
import { copyExample, examplePath, removeTempRepos, withToolsOnPath, writeRepo } from '../../support/gitopsExamples';
import { describeWithShared, itWithShared } from '../../support/shared';

function appsOf(model: RepoModel, environment: string): Record<string, AppDefinition> {
  const found = model.environments.find((candidate) => candidate.name === environment);
  assert.ok(found, `environment ${environment} not found in ${model.environments.map((e) => e.name).join(', ')}`);
  return Object.fromEntries(found.apps.map((app) => [app.name, app]));
}

const execFileAsync = promisify(execFile);

describe('discoverRepo', () => {
  after(removeTempRepos);

  describeWithShared('gitops-examples/flux2-kustomize-helm-example', 'flux2-kustomize-helm-example (classic layout)', () => {
    const root = examplePath('flux2-kustomize-helm-example');
    let model: RepoModel;
    before(async () => { model = await discoverRepo(root); });

    it('finds the environments staging and production from the cluster folders, and no problem', () => {
      assert.deepEqual(model.environments.map((environment) => environment.name), ['production', 'staging']);
      assert.deepEqual(model.problems, []);
    });

    it('makes each Flux Kustomization an app rendering spec.path with kustomize, managed by that Kustomization', () => {
      const staging = appsOf(model, 'staging');
      assert.equal(staging.apps.renderer, 'kustomize');
      assert.equal(staging.apps.path, path.join(root, 'apps/staging'));
      assert.equal(staging.apps.origin, 'flux-kustomization');
      assert.deepEqual(staging.apps.controller, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'apps', namespace: 'flux-system' });
      assert.deepEqual(staging.apps.declaredAt, { file: path.join(root, 'clusters/staging/apps.yaml'), line: 1 });
      assert.equal(appsOf(model, 'production').apps.path, path.join(root, 'apps/production'));
      assert.equal(staging['infra-controllers'].path, path.join(root, 'infrastructure/controllers'));
    });

    it('carries a Kustomization\'s patches to the build, per environment', () => {
      const patch = (model: RepoModel, env: string) => JSON.stringify(appsOf(model, env)['infra-configs'].kustomizeOverlay);
      assert.match(patch(model, 'staging'), /acme-staging-v02/);
      assert.doesNotMatch(patch(model, 'production'), /acme-staging-v02/);
    });

    it('does not list Flux\'s own flux-system Kustomization (what `flux bootstrap` writes) as an app', async () => {
      const copy = await copyExample('flux2-kustomize-helm-example');
      await fs.writeFile(path.join(copy, 'clusters/staging/flux-system/gotk-sync.yaml'), [
        'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata:', '  name: flux-system', '  namespace: flux-system',
        'spec:', '  interval: 1m0s', '  ref:', '    branch: main', '  url: ssh://git@github.com/acme/fleet', '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', '  name: flux-system', '  namespace: flux-system',
        'spec:', '  interval: 10m0s', '  path: ./clusters/staging', '  prune: true', '  sourceRef:', '    kind: GitRepository', '    name: flux-system', '',
      ].join('\n'));
      const bootstrapped = await discoverRepo(copy);
      assert.deepEqual(Object.keys(appsOf(bootstrapped, 'staging')).sort(), Object.keys(appsOf(model, 'staging')).sort());
      assert.ok(!('flux-system' in appsOf(bootstrapped, 'staging')));
    });

    it('makes each HelmRelease an app of the environments that deploy it, with the chart and HelmRepository URL to fetch', () => {
      const podinfo = appsOf(model, 'staging').podinfo;
      assert.equal(podinfo.renderer, 'helm');
      assert.equal(podinfo.origin, 'flux-helmrelease');
      assert.equal(podinfo.namespace, 'podinfo');
      assert.equal(podinfo.unknownReason, undefined);
      assert.equal(podinfo.helm?.chart, 'podinfo');
      assert.equal(podinfo.helm?.repoURL, 'https://stefanprodan.github.io/podinfo');
      assert.deepEqual(podinfo.controller, { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'podinfo', namespace: 'podinfo' });
      assert.ok(appsOf(model, 'production')['cert-manager'], 'cert-manager (infra-controllers) in production');
      assert.deepEqual(Object.keys(appsOf(model, 'staging')).sort(),
        ['apps', 'cert-manager', 'infra-configs', 'infra-controllers', 'ingress-nginx', 'podinfo']);
    });
  });

  describeWithShared('gitops-examples/flux2-kustomize-helm-example-artifacts', 'flux2-kustomize-helm-example-artifacts (Flux 2.7 ArtifactGenerator layout)', () => {
    const root = examplePath('flux2-kustomize-helm-example-artifacts');
    let model: RepoModel;
    before(async () => { model = await discoverRepo(root); });

    it('follows the ArtifactGenerator copy rules back from the ExternalArtifact to the repo folders', () => {
      assert.deepEqual(model.environments.map((environment) => environment.name), ['production', 'staging']);
      assert.equal(appsOf(model, 'staging').apps.path, path.join(root, 'apps/staging'));
      assert.equal(appsOf(model, 'production').apps.path, path.join(root, 'apps/production'));
      assert.equal(appsOf(model, 'staging')['infra-controllers'].path, path.join(root, 'infrastructure/controllers'));
      assert.equal(appsOf(model, 'production')['infra-configs'].path, path.join(root, 'infrastructure/configs'));
      for (const app of Object.values(appsOf(model, 'staging')).filter((candidate) => candidate.origin === 'flux-kustomization')) {
        assert.equal(app.unknownReason, undefined, app.name);
      }
    });

    it('reports an artifact path no copy rule produces as Unknown, naming the generator', async () => {
      const copy = await copyExample('flux2-kustomize-helm-example-artifacts');
      const file = path.join(copy, 'clusters/staging/apps.yaml');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('path: ./staging', 'path: ./elsewhere'));
      const apps = appsOf(await discoverRepo(copy), 'staging').apps;
      assert.match(apps.unknownReason ?? '', /no copy rule of artifact "apps" in ArtifactGenerator flux-system\/flux-system .*clusters\/staging\/artifacts\.yaml\) produces \.\/elsewhere/);
    });
  });

  describeWithShared('gitops-examples/argocd-example-apps', 'argocd-example-apps', () => {
    it('without helm on PATH, lists the app-of-apps chart as one Unknown app: "helm not found"', async () => {
      const model = await withToolsOnPath(['kubectl'], () => discoverRepo(examplePath('argocd-example-apps')));
      const apps = model.environments.flatMap((environment) => environment.apps);
      assert.equal(apps.length, 1);
      assert.equal(apps[0].name, 'apps');
      assert.equal(apps[0].renderer, 'helm');
      assert.match(apps[0].unknownReason ?? '', /^helm not found/);
    });

    it('with helm, expands the app-of-apps chart into its Applications and renders those this clone holds', async () => {
      const clone = await copyExample('argocd-example-apps');
      await execFileAsync('git', ['init', '-q'], { cwd: clone });
      await execFileAsync('git', ['remote', 'add', 'origin', 'https://github.com/argoproj/argocd-example-apps.git'], { cwd: clone });
      const apps = (await discoverRepo(clone)).environments.flatMap((environment) => environment.apps);
      const byName = new Map(apps.map((app) => [app.name, app]));
      assert.equal(byName.get('apps')?.unknownReason, undefined);
      assert.equal(byName.get('example.guestbook')?.renderer, 'yaml');
      assert.equal(byName.get('example.kustomize-guestbook')?.renderer, 'kustomize');
      assert.equal(byName.get('example.sock-shop')?.renderer, 'kustomize');
      assert.equal(byName.get('example.helm-guestbook')?.renderer, 'helm');
      for (const name of ['example.guestbook', 'example.kustomize-guestbook', 'example.helm-guestbook', 'example.sock-shop']) {
        assert.equal(byName.get(name)?.unknownReason, undefined, name);
      }
      // The chart lists apps whose folders this copy of the repo does not have: Unknown, naming the path.
      assert.match(byName.get('example.blue-green')?.unknownReason ?? '', /spec\.source\.path blue-green .* does not exist/);
    });
  });

  describe('folder conventions', () => {
    it('finds envs/<env>/<app>, <app>/overlays/<env> and deploy/overlays/<env>', async () => {
      const deployment = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
      const kustomization = 'resources:\n  - ../../base\n';
      const root = await writeRepo({
        'envs/dev/web/configmap.yaml': deployment,
        'envs/prod/web/configmap.yaml': deployment,
        'shop/base/kustomization.yaml': 'resources:\n  - cm.yaml\n',
        'shop/base/cm.yaml': deployment,
        'shop/overlays/dev/kustomization.yaml': kustomization,
        'deploy/base/kustomization.yaml': 'resources:\n  - cm.yaml\n',
        'deploy/base/cm.yaml': deployment,
        'deploy/overlays/prod/kustomization.yaml': kustomization,
      });
      const model = await discoverRepo(root);
      const summary = model.environments.flatMap((environment) => environment.apps.map((app) =>
        `${app.environment}/${app.name}:${app.renderer}:${path.relative(root, app.path)}`)).sort();
      assert.deepEqual(summary, [
        'dev/shop:kustomize:shop/overlays/dev',
        'dev/web:yaml:envs/dev/web',
        `prod/${path.basename(root)}:kustomize:deploy/overlays/prod`,
        'prod/web:yaml:envs/prod/web',
      ]);
    });

    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
    const summaryOf = (model: RepoModel, root: string) => model.environments.flatMap((environment) => environment.apps.map((app) =>
      `${app.environment}/${app.name}:${app.renderer}:${path.relative(root, app.path)}`)).sort();

    it('finds <app>/envs/<env> and apps|components/<app>/<env>, leaving shared folders (base) out', async () => {
      const root = await writeRepo({
        'services/web/envs/dev/kustomization.yaml': 'resources: [../../base]\n',
        'services/web/envs/prod/configmap.yaml': configMap,
        'services/web/base/kustomization.yaml': 'resources: [cm.yaml]\n',
        'services/web/base/cm.yaml': configMap,
        'components/cache/base/cm.yaml': configMap,
        'components/cache/staging/kustomization.yaml': 'resources: [../base/cm.yaml]\n',
        'components/cache/prod/cm.yaml': configMap,
      });
      assert.deepEqual(summaryOf(await discoverRepo(root), root), [
        'dev/web:kustomize:services/web/envs/dev',
        'prod/cache:yaml:components/cache/prod',
        'prod/web:yaml:services/web/envs/prod',
        'staging/cache:kustomize:components/cache/staging',
      ]);
    });

    it('takes no folder without manifests (values files, notes) and no kustomize Component as an app', async () => {
      const root = await writeRepo({
        'environments/dev/web/configmap.yaml': configMap,
        'environments/dev/web-values/values.yaml': 'replicaCount: 2\n',
        'environments/dev/notes/readme.yaml': 'owner: team-a\n',
        'environments/dev/tls/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cert.yaml]\n',
      });
      assert.deepEqual(summaryOf(await discoverRepo(root), root), ['dev/web:yaml:environments/dev/web']);
    });

    it('keeps the conventions on beside an Argo Rollout (argoproj.io, but it declares no app)', async () => {
      const rollout = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\nspec:\n  strategy:\n    canary: {}\n';
      const root = await writeRepo({ 'clusters/dev/web/rollout.yaml': rollout, 'clusters/dev/web/configmap.yaml': configMap });
      assert.deepEqual(summaryOf(await discoverRepo(root), root), ['dev/web:yaml:clusters/dev/web']);
    });

    it('leaves apps/ to the Flux Kustomizations that render it: no app per folder of apps/base', async () => {
      const root = await writeRepo({
        'clusters/dev/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\n' +
          'spec:\n  interval: 10m\n  path: ./apps/dev\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
        'apps/dev/kustomization.yaml': 'resources: [../base/web]\n',
        'apps/base/web/configmap.yaml': configMap,
        'apps/base/web/prod/configmap.yaml': configMap,
      });
      assert.deepEqual(summaryOf(await discoverRepo(root), root), ['dev/apps:kustomize:apps/dev']);
    });
  });

  itWithShared('gitops-examples/flux2-kustomize-helm-example', 'reports a malformed Flux file with its file and line, and still finds the other apps', async () => {
    const root = await copyExample('flux2-kustomize-helm-example');
    const broken = path.join(root, 'clusters/staging/infrastructure.yaml');
    await fs.writeFile(broken, 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: [broken\n');
    const model = await discoverRepo(root);
    assert.equal(model.problems.length, 1);
    assert.equal(model.problems[0].file, broken);
    assert.equal(model.problems[0].line, 5);
    // The file and line are the problem's; the message does not repeat them (the CLI prints `file:5: invalid YAML: ...`).
    assert.match(model.problems[0].message, /^invalid YAML: /);
    assert.ok(appsOf(model, 'staging').apps);
    assert.ok(appsOf(model, 'production')['infra-configs']);
  });
});
