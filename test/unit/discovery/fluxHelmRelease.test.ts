import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { helmReleaseName } from '../../../src/core/discovery/fluxHelmRelease';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { appNamed } from '../../support/repoModel';

const release = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace: 'apps' }, spec });

describe('HelmRelease release name, as helm-controller computes it', () => {
  after(removeTempRepos);

  it('is spec.releaseName, else [targetNamespace-]name', () => {
    assert.equal(helmReleaseName(release('web')), 'web');
    assert.equal(helmReleaseName(release('web', { targetNamespace: 'prod' })), 'prod-web');
    assert.equal(helmReleaseName(release('web', { targetNamespace: 'prod', releaseName: 'frontend' })), 'frontend');
  });

  it('is shortened past 53 characters to 40, a hyphen and 12 hex digits of its sha256 (helm-controller\'s own examples)', () => {
    assert.equal(helmReleaseName(release('release-name-with-very-long-name-which-is-longer-than-53-characters')), 'release-name-with-very-long-name-which-i-788ca0d0d7b0');
    assert.equal(helmReleaseName(release('x', { releaseName: 'another-release-name-with-very-long-name-which-is-longer-than-53-characters' })), 'another-release-name-with-very-long-name-7e72150d5a36');
    assert.equal(helmReleaseName(release('a'.repeat(53))), 'a'.repeat(53));
  });

  it('discovery gives the release its name, namespace (targetNamespace, else its own) and storage namespace (storageNamespace, else its own)', async () => {
    const chartRef = { chart: { spec: { chart: './chart', sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } } } };
    const root = await writeRepo({
      'clusters/dev/releases.yaml': [
        release('plain', chartRef), release('targeted', { ...chartRef, targetNamespace: 'prod' }),
        release('stored', { ...chartRef, targetNamespace: 'prod', storageNamespace: 'helm-storage', releaseName: 'custom' }),
      ].map((object) => stringify(object)).join('---\n'),
      'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
    });
    const model = await discoverRepo(root);
    const facts = (name: string) => {
      const app = appNamed(model, 'dev', name);
      return [app.helm?.releaseName, app.namespace, app.helm?.storageNamespace, app.helm?.release?.namespace];
    };
    assert.deepEqual(facts('plain'), ['plain', 'apps', 'apps', 'apps']);
    assert.deepEqual(facts('targeted'), ['prod-targeted', 'prod', 'apps', 'apps']);
    assert.deepEqual(facts('stored'), ['custom', 'prod', 'helm-storage', 'apps']);
  });
});
