// An OCI registry with a certificate of a private CA that asks for a client certificate (Debian's docker-registry
// over HTTPS on loopback, certificates made by openssl): the CA and the client pair come from docker's certs.d
// folder for that registry, as docker and podman read them; without it the error says where to put the CA.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fetchChart } from '../../../src/core/sources/fetchChart';
import type { FetchContext } from '../../../src/core/sources/fetchTypes';
import { SourceCache } from '../../../src/core/sources/sourceCache';
import { packageChart, tempFolder } from '../../support/chartRepository';
import { startRegistry, type TestRegistry } from '../../support/ociRegistry';
import { makeCertificates, type TestCertificates } from '../../support/testCertificates';

describe('OCI registries over HTTPS with docker\'s certs.d', function () {
  this.timeout(60_000);
  let certificates: TestCertificates;
  let registry: TestRegistry;
  let charts: string;
  let home: string;

  before(async () => {
    certificates = await makeCertificates();
    charts = await tempFolder('driftline-tls-charts-');
    registry = await startRegistry({ tls: { certFile: certificates.serverCertFile, keyFile: certificates.serverKeyFile, clientCaFile: certificates.caFile } });
    await registry.push(await packageChart(charts, 'podinfo', '1.0.0'), 'charts');
  });

  beforeEach(async () => { home = await tempFolder('driftline-tls-home-'); });
  afterEach(() => fs.rm(home, { recursive: true, force: true }));

  after(async () => {
    await registry.stop();
    await Promise.all([charts, certificates.folder].map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  const certsFolder = () => path.join(home, '.config', 'docker', 'certs.d', registry.host);
  const context = (): FetchContext => ({ cache: new SourceCache(path.join(home, 'cache')), env: { HOME: home } });
  const fetchPodinfo = () => fetchChart({ repoURL: `oci://${registry.host}/charts`, chart: 'podinfo', version: '1.0.0' }, context());

  it('speaks HTTPS to the registry with the CA and client certificate of its certs.d folder', async () => {
    await fs.mkdir(certsFolder(), { recursive: true });
    await fs.copyFile(certificates.caFile, path.join(certsFolder(), 'ca.crt'));
    await fs.copyFile(certificates.clientCertFile, path.join(certsFolder(), 'client.cert'));
    await fs.copyFile(certificates.clientKeyFile, path.join(certsFolder(), 'client.key'));
    assert.equal((await fetchPodinfo()).version, '1.0.0');
  });

  it('says the certificate is not trusted, and where its CA goes, without a certs.d folder', async () => {
    // 0.0.0.0 reaches the same listener but is no loopback name: HTTPS is spoken, as to any remote registry.
    const remote = registry.host.replace('127.0.0.1', '0.0.0.0');
    await assert.rejects(fetchChart({ repoURL: `oci://${remote}/charts`, chart: 'podinfo', version: '1.0.0' }, context()), (error: Error) =>
      error.message.startsWith(`GET https://${remote}/v2/charts/podinfo/manifests/1.0.0: the server's certificate is not trusted (`) &&
      error.message.endsWith(`: put its CA as ca.crt in ${path.join(home, '.config', 'docker', 'certs.d', remote)} (docker's certs.d), or set spec.insecure for a registry over plain HTTP`));
  });

  it('speaks plain HTTP to a loopback registry without a certs.d folder, as docker does', async () => {
    await assert.rejects(fetchPodinfo(), (error: Error) => error.message.startsWith(`GET http://${registry.host}/v2/charts/podinfo/manifests/1.0.0: HTTP 400`));
  });

  it('says the registry refused the connection without the client certificate', async () => {
    await fs.mkdir(certsFolder(), { recursive: true });
    await fs.copyFile(certificates.caFile, path.join(certsFolder(), 'ca.crt'));
    await assert.rejects(fetchPodinfo(), (error: Error) => error.message.startsWith(`GET https://${registry.host}/v2/charts/podinfo/manifests/1.0.0: `));
  });

  it('names a client certificate in certs.d that has no key beside it', async () => {
    await fs.mkdir(certsFolder(), { recursive: true });
    await fs.copyFile(certificates.clientCertFile, path.join(certsFolder(), 'client.cert'));
    await assert.rejects(fetchPodinfo(), (error: Error) => error.message === `${path.join(certsFolder(), 'client.cert')} has no client.key beside it (docker's certs.d pairs a client certificate with its key)`);
  });
});
