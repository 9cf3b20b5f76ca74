import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import type { AppDefinition } from '../../../src/core/model';
import { RenderCache, renderApps } from '../../../src/core/render/renderApps';
import { copyExample, removeTempRepos } from '../../support/gitopsExamples';
import { describeWithShared } from '../../support/shared';

describeWithShared('gitops-examples/flux2-kustomize-helm-example', 'renderApps', () => {
  let root: string;
  let apps: AppDefinition[];
  before(async () => {
    root = await copyExample('flux2-kustomize-helm-example');
    apps = (await discoverRepo(root)).environments.flatMap((environment) => environment.apps);
  });
  after(removeTempRepos);

  it('renders every app, keeping the order, and the rest when some fail', async () => {
    const rendered = await renderApps(apps, { concurrency: 2 });
    assert.deepEqual(rendered.map((result) => result.app), apps);
    const failed = rendered.filter((result) => result.error).map((result) => `${result.app.environment}/${result.app.name}`);
    assert.deepEqual(failed.sort(), ['production/cert-manager', 'production/ingress-nginx', 'production/podinfo',
      'staging/cert-manager', 'staging/ingress-nginx', 'staging/podinfo']);
    assert.ok(rendered.filter((result) => !result.error).every((result) => result.objects.length > 0));
  });

  it('reuses a cached render while the inputs are unchanged, and renders again when a base file changes', async () => {
    const cache = new RenderCache();
    const stagingApps = apps.filter((app) => app.environment === 'staging' && app.name === 'apps');
    const [first] = await renderApps(stagingApps, { cache });
    const [second] = await renderApps(stagingApps, { cache });
    assert.equal(second.objects, first.objects, 'the cached objects are returned, not a new render');

    const release = path.join(root, 'apps/base/podinfo/release.yaml');
    await fs.writeFile(release, (await fs.readFile(release, 'utf8')).replace('tag: 7.0.6', 'tag: 7.2.0'));
    const [third] = await renderApps(stagingApps, { cache });
    assert.notEqual(third.inputHash, first.inputHash);
    const values = (third.objects.find(({ object }) => object.kind === 'HelmRelease')!.object.spec as { values: { redis: { tag: string } } }).values;
    assert.equal(values.redis.tag, '7.2.0');
  });

  it('tells which apps a changed path affects: a shared base affects both environments, other files none', async () => {
    const cache = new RenderCache();
    await renderApps(apps, { cache });
    const names = (paths: string[]) => cache.appsAffectedBy(paths).map((app) => `${app.environment}/${app.name}`).sort();
    assert.deepEqual(names([path.join(root, 'apps/base/podinfo/namespace.yaml')]), ['production/apps', 'staging/apps']);
    assert.deepEqual(names([path.join(root, 'apps/staging/podinfo-values.yaml')]), ['staging/apps']);
    assert.deepEqual(names([path.join(root, 'apps/staging/new-file.yaml')]), ['staging/apps']);
    assert.deepEqual(names([path.join(root, 'infrastructure/configs/cluster-issuers.yaml')]), ['production/infra-configs', 'staging/infra-configs']);
    assert.deepEqual(names([path.join(root, 'README.md')]), []);
  });
});
