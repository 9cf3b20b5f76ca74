// Charts from a real OCI registry (Debian's docker-registry on loopback, charts pushed with helm push), fetched
// as source-controller does for an OCI HelmRepository: by tag, by semver range over the tag list, by digest;
// with the htpasswd login helm registry login wrote, and failures that name the artifact and the status.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fetchChart } from '../../../src/core/sources/fetchChart';
import type { FetchContext } from '../../../src/core/sources/fetchTypes';
import { SourceCache } from '../../../src/core/sources/sourceCache';
import { packageChart, tempFolder } from '../../support/chartRepository';
import { startRegistry, type TestRegistry } from '../../support/ociRegistry';

describe('OCI registry charts', function () {
  this.timeout(60_000);
  let registry: TestRegistry;
  let charts: string;
  let cacheRoot: string;
  const context = (env: Record<string, string | undefined> = registry.env): FetchContext => ({ cache: new SourceCache(cacheRoot), env });

  before(async () => {
    charts = await tempFolder('driftline-oci-charts-');
    registry = await startRegistry();
    for (const version of ['1.0.0', '1.1.0', '1.2.0-rc.1', '2.0.0']) await registry.push(await packageChart(charts, 'podinfo', version), 'charts');
  });

  beforeEach(async () => { cacheRoot = await tempFolder('driftline-oci-cache-'); });
  afterEach(() => fs.rm(cacheRoot, { recursive: true, force: true }));

  after(async () => {
    await registry.stop();
    await fs.rm(charts, { recursive: true, force: true });
  });

  const repoURL = () => `oci://${registry.host}/charts`;

  it('fetches an exact version by its tag and keeps the chart layer in the cache under its digest', async () => {
    const fetched = await fetchChart({ repoURL: repoURL(), chart: 'podinfo', version: '1.1.0' }, context());
    assert.equal(fetched.version, '1.1.0');
    assert.equal(fetched.archive, path.join(cacheRoot, 'charts', `${fetched.digest}.tgz`));
    assert.deepEqual(await fs.readFile(fetched.archive), await fs.readFile(path.join(charts, 'podinfo-1.1.0.tgz')));
  });

  it('resolves ranges and * over the tag list, prereleases only when the range names one', async () => {
    const version = async (wanted: string) => (await fetchChart({ repoURL: repoURL(), chart: 'podinfo', version: wanted }, context())).version;
    assert.equal(await version('1.x'), '1.1.0');
    assert.equal(await version('*'), '2.0.0');
    assert.equal(await version('>=1.1.0-0 <2.0.0'), '1.2.0-rc.1');
  });

  it('speaks plain HTTP to a registry not on loopback only when the source says insecure (Flux spec.insecure)', async () => {
    // 0.0.0.0 reaches this machine's listeners but is no loopback name: without insecure, HTTPS is spoken.
    const repoURL = `oci://${registry.host.replace('127.0.0.1', '0.0.0.0')}/charts`;
    await assert.rejects(fetchChart({ repoURL, chart: 'podinfo', version: '1.1.0' }, context()),
      (error: Error) => error.message.startsWith(`GET https://${registry.host.replace('127.0.0.1', '0.0.0.0')}/v2/charts/podinfo/manifests/1.1.0: `));
    assert.equal((await fetchChart({ repoURL, chart: 'podinfo', version: '1.1.0', insecure: true }, context())).version, '1.1.0');
  });

  it('names the range and the tags there are when nothing matches', async () => {
    await assert.rejects(fetchChart({ repoURL: repoURL(), chart: 'podinfo', version: '^3.0.0' }, context()),
      /chart podinfo in oci:\/\/127\.0\.0\.1:\d+\/charts: no version matches "\^3\.0\.0" .*\(versions: 2\.0\.0, 1\.2\.0-rc\.1, 1\.1\.0, 1\.0\.0\)/);
  });

  it('says a tag that is not there is HTTP 404 at its manifest URL', async () => {
    await assert.rejects(fetchChart({ repoURL: repoURL(), chart: 'podinfo', version: '9.9.9' }, context()),
      new RegExp(`GET http://${registry.host}/v2/charts/podinfo/manifests/9.9.9: HTTP 404`));
  });

  it('fetches by digest too', async () => {
    const byTag = await fetchChart({ repoURL: repoURL(), chart: 'podinfo', version: '1.0.0' }, context());
    const manifest = await fetch(`http://${registry.host}/v2/charts/podinfo/manifests/1.0.0`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    const digest = manifest.headers.get('docker-content-digest')!;
    const byDigest = await fetchChart({ repoURL: repoURL(), chart: 'podinfo', version: digest }, context());
    assert.equal(byDigest.digest, byTag.digest);
  });

  describe('with a token service (Bearer challenge)', () => {
    let secured: TestRegistry;

    before(async () => {
      secured = await startRegistry({ token: 'reader:t0ken-pass' });
      await secured.push(path.join(charts, 'podinfo-1.0.0.tgz'), 'private');
    });
    after(() => secured.stop());

    it('gets a token from the realm with the user\'s login and reads the chart with it', async () => {
      const before = secured.tokens!.requests.length;
      const fetched = await fetchChart({ repoURL: `oci://${secured.host}/private`, chart: 'podinfo', version: '1.x' }, context(secured.env));
      assert.equal(fetched.version, '1.0.0');
      const asked = secured.tokens!.requests.slice(before);
      assert.ok(asked.length > 0, 'the token service was asked');
      assert.ok(asked.every((request) => request.authorization === `Basic ${Buffer.from('reader:t0ken-pass').toString('base64')}`));
    });

    it('says HTTP 401 at the token service when it refuses the login', async () => {
      const home = await tempFolder('driftline-oci-token-');
      const config = path.join(home, 'config.json');
      await fs.writeFile(config, JSON.stringify({ auths: { [secured.host]: { auth: Buffer.from('reader:nope').toString('base64') } } }));
      try {
        await assert.rejects(fetchChart({ repoURL: `oci://${secured.host}/private`, chart: 'podinfo', version: '1.0.0' }, context({ HOME: home, HELM_REGISTRY_CONFIG: config })),
          new RegExp(`GET ${secured.tokens!.realm}\\?.*: HTTP 401 Unauthorized \\(the credentials of reader from ${config} were refused\\)`));
      } finally {
        await fs.rm(home, { recursive: true, force: true });
      }
    });
  });

  describe('with htpasswd auth', () => {
    let secured: TestRegistry;

    before(async () => {
      secured = await startRegistry({ htpasswd: 'pusher:s3cret' });
      await secured.push(path.join(charts, 'podinfo-1.0.0.tgz'), 'private');
    });
    after(() => secured.stop());

    it('answers the registry\'s Basic challenge with the login helm registry login saved', async () => {
      const fetched = await fetchChart({ repoURL: `oci://${secured.host}/private`, chart: 'podinfo', version: '1.x' }, context(secured.env));
      assert.equal(fetched.version, '1.0.0');
    });

    it('says HTTP 401 and whose login was refused when the password is wrong', async () => {
      const home = await tempFolder('driftline-oci-wrong-');
      const config = path.join(home, 'config.json');
      await fs.writeFile(config, JSON.stringify({ auths: { [secured.host]: { auth: Buffer.from('pusher:wrong').toString('base64') } } }));
      try {
        await assert.rejects(fetchChart({ repoURL: `oci://${secured.host}/private`, chart: 'podinfo', version: '1.0.0' }, context({ HOME: home, HELM_REGISTRY_CONFIG: config })),
          new RegExp(`GET http://${secured.host}/v2/private/podinfo/manifests/1.0.0: HTTP 401 Unauthorized \\(the credentials of pusher from ${config} were refused\\)`));
      } finally {
        await fs.rm(home, { recursive: true, force: true });
      }
    });

    it('says there is no login for the registry when the user has none', async () => {
      const home = await tempFolder('driftline-oci-none-');
      try {
        await assert.rejects(fetchChart({ repoURL: `oci://${secured.host}/private`, chart: 'podinfo', version: '1.0.0' }, context({ HOME: home })),
          /HTTP 401 Unauthorized \(no credentials for 127\.0\.0\.1:\d+ in your helm or docker configuration\)/);
      } finally {
        await fs.rm(home, { recursive: true, force: true });
      }
    });
  });
});
