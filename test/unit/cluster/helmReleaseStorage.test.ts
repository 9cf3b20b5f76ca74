// Reading a release from Helm's storage Secret, as the Secret driver encodes it: the API's base64 of Helm's own
// base64 of gzip'd JSON (or of plain JSON, from before Helm compressed releases). A Secret that does not hold a
// release is an error naming it.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeReleaseSecret, HELM_RELEASE_SECRET_TYPE } from '../../../src/core/cluster/helmReleaseStorage';
import type { KubeObject } from '../../../src/core/model';

const RELEASE = {
  name: 'podinfo', namespace: 'apps', version: 7, info: { status: 'deployed' },
  chart: { metadata: { name: 'podinfo', version: '6.5.4' } },
  manifest: '---\n# Source: podinfo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo\n',
  hooks: [{ name: 'podinfo-test', kind: 'Pod', manifest: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: podinfo-test\n' }],
};

/** A storage Secret as the API returns it: `data.release` base64 of what Helm stored. */
function storageSecret(stored: Buffer | string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Secret', type: HELM_RELEASE_SECRET_TYPE,
    metadata: { name: 'sh.helm.release.v1.podinfo.v7', namespace: 'apps', labels: { owner: 'helm', name: 'podinfo', status: 'deployed', version: '7' } },
    data: { release: Buffer.from(stored).toString('base64') },
  } as KubeObject;
}

describe('Helm release storage', () => {
  it('decodes a release Helm 3 stored (base64 of gzip JSON): version, manifest, hooks and chart', () => {
    const release = decodeReleaseSecret(storageSecret(gzipSync(JSON.stringify(RELEASE)).toString('base64')), 'apps');
    assert.deepEqual(release, {
      name: 'podinfo', namespace: 'apps', version: 7, secret: 'sh.helm.release.v1.podinfo.v7', manifest: RELEASE.manifest,
      hooks: [RELEASE.hooks[0].manifest], chart: { name: 'podinfo', version: '6.5.4' },
    });
  });

  it('decodes a release stored before Helm compressed them (base64 of plain JSON)', () => {
    assert.equal(decodeReleaseSecret(storageSecret(Buffer.from(JSON.stringify(RELEASE)).toString('base64')), 'apps').manifest, RELEASE.manifest);
  });

  it('names the Secret when it holds no release, garbage, or a release without a manifest', () => {
    const secret = storageSecret('');
    delete (secret as { data?: unknown }).data;
    assert.throws(() => decodeReleaseSecret(secret, 'apps'), /^StoredReleaseError: Secret apps\/sh\.helm\.release\.v1\.podinfo\.v7 has no release data$/);
    assert.throws(() => decodeReleaseSecret(storageSecret('not base64 of json'), 'apps'),
      /Secret apps\/sh\.helm\.release\.v1\.podinfo\.v7 does not hold a Helm release \(/);
    const { manifest: _manifest, ...withoutManifest } = RELEASE;
    assert.throws(() => decodeReleaseSecret(storageSecret(gzipSync(JSON.stringify(withoutManifest)).toString('base64')), 'apps'),
      /Secret apps\/sh\.helm\.release\.v1\.podinfo\.v7 holds a release without a manifest/);
  });
});
