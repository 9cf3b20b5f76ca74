// Chart repositories over HTTPS with a CA of their own (made with openssl, served on loopback): the TLS settings
// of helm's repositories.yaml entry are used as helm uses them (caFile, certFile/keyFile for a server that asks
// for a client certificate, insecure_skip_tls_verify); without them the failure says the certificate is not
// trusted and where to give its CA.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fetchChart } from '../../../src/core/sources/fetchChart';
import type { FetchContext } from '../../../src/core/sources/fetchTypes';
import { SourceCache } from '../../../src/core/sources/sourceCache';
import { indexFolder, packageChart, serveFolder, tempFolder, type ChartServer } from '../../support/chartRepository';
import { makeCertificates, type TestCertificates } from '../../support/testCertificates';

describe('Helm repository charts over HTTPS with a private CA', function () {
  this.timeout(60_000);
  let certificates: TestCertificates;
  let charts: string;
  let server: ChartServer;
  let mutual: ChartServer;
  let home: string;
  let cacheRoot: string;

  before(async () => {
    certificates = await makeCertificates();
    charts = await tempFolder('driftline-tls-charts-');
    await packageChart(charts, 'podinfo', '6.5.4');
    indexFolder(charts);
    const [key, cert, ca] = await Promise.all([certificates.serverKeyFile, certificates.serverCertFile, certificates.caFile].map((file) => fs.readFile(file)));
    server = await serveFolder(charts, { tls: { key, cert } });
    mutual = await serveFolder(charts, { tls: { key, cert, ca } });
  });

  beforeEach(async () => {
    home = await tempFolder('driftline-tls-home-');
    cacheRoot = await tempFolder('driftline-tls-cache-');
  });

  afterEach(() => Promise.all([home, cacheRoot].map((folder) => fs.rm(folder, { recursive: true, force: true }))));

  after(async () => {
    await Promise.all([server.stop(), mutual.stop()]);
    await Promise.all([charts, certificates.folder].map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  const repositoriesFile = () => path.join(home, '.config', 'helm', 'repositories.yaml');
  const context = (): FetchContext => ({ cache: new SourceCache(cacheRoot), env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') } });

  async function helmEntry(url: string, fields: Record<string, string | boolean>): Promise<void> {
    await fs.mkdir(path.dirname(repositoriesFile()), { recursive: true });
    const lines = Object.entries(fields).map(([key, value]) => `  ${key}: ${typeof value === 'string' ? JSON.stringify(value) : value}`);
    await fs.writeFile(repositoriesFile(), ['apiVersion: ""', 'repositories:', '- name: private', `  url: ${url}`, ...lines, ''].join('\n'));
  }

  const fetchPodinfo = (url: string) => fetchChart({ repoURL: url, chart: 'podinfo', version: '6.5.x' }, context());

  it('fails saying the certificate is not trusted and where to give its CA, when helm has none for the repository', async () => {
    await assert.rejects(fetchPodinfo(server.url), (error: Error) => {
      assert.match(error.message, new RegExp(`^GET ${server.url}/index.yaml: the server's certificate is not trusted \\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)`));
      assert.ok(error.message.includes(`give its CA as caFile (or set insecure_skip_tls_verify) in the entry of ${server.url} in ${repositoriesFile()}`), error.message);
      return true;
    });
  });

  it('trusts the server with the caFile of helm\'s entry for the repository', async () => {
    await helmEntry(server.url, { caFile: certificates.caFile });
    assert.equal((await fetchPodinfo(server.url)).version, '6.5.4');
  });

  it('skips verification with insecure_skip_tls_verify, as helm does', async () => {
    await helmEntry(server.url, { insecure_skip_tls_verify: true });
    assert.equal((await fetchPodinfo(server.url)).version, '6.5.4');
  });

  it('presents the certFile/keyFile client certificate to a server that asks for one', async () => {
    await helmEntry(mutual.url, { caFile: certificates.caFile });
    await assert.rejects(fetchPodinfo(mutual.url), (error: Error) => error.message.startsWith(`GET ${mutual.url}/index.yaml: `));
    await helmEntry(mutual.url, { caFile: certificates.caFile, certFile: certificates.clientCertFile, keyFile: certificates.clientKeyFile });
    assert.equal((await fetchPodinfo(mutual.url)).version, '6.5.4');
  });

  it('names the entry\'s file when its caFile cannot be read', async () => {
    await helmEntry(server.url, { caFile: path.join(home, 'missing-ca.crt') });
    await assert.rejects(fetchPodinfo(server.url), (error: Error) =>
      error.message.includes(`cannot read the CA file ${path.join(home, 'missing-ca.crt')} (${repositoriesFile()}): ENOENT`));
  });
});
