import assert from 'node:assert/strict';
import { helmReleaseName } from '../../../src/core/discovery/fluxHelmRelease';

const release = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace: 'apps' }, spec });

describe('HelmRelease release name, as helm-controller computes it', () => {
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
});
