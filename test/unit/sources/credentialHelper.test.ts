// Docker credential helpers against a real registry with htpasswd auth (docker-registry on loopback): the
// helper docker config.json names (credsStore, or credHelpers for one registry) is run as docker runs it,
// `docker-credential-<name> get` with the registry host on stdin, and its login is sent to that registry. The
// helper here is a real executable on PATH speaking the helper protocol, holding one login.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fetchChart } from '../../../src/core/sources/fetchChart';
import type { FetchContext } from '../../../src/core/sources/fetchTypes';
import { SourceCache } from '../../../src/core/sources/sourceCache';
import { packageChart, tempFolder } from '../../support/chartRepository';
import { startRegistry, type TestRegistry } from '../../support/ociRegistry';

/** A helper answering `get` for `host` with `user:password`, "credentials not found" for any other host; it logs each host asked. */
function helperScript(host: string, login: string, log: string): string {
  const [user, password] = login.split(':');
  return [
    '#!/bin/sh', '[ "$1" = get ] || exit 2', 'read -r server', `printf '%s\\n' "$server" >> '${log}'`,
    `if [ "$server" = '${host}' ]; then printf '{"ServerURL":"%s","Username":"${user}","Secret":"${password}"}' "$server"; exit 0; fi`,
    'echo "credentials not found in native keychain"', 'exit 1', '',
  ].join('\n');
}

describe('OCI registry logins from docker credential helpers', function () {
  this.timeout(60_000);
  let registry: TestRegistry;
  let charts: string;
  let home: string;
  let bin: string;
  let cacheRoot: string;

  before(async () => {
    charts = await tempFolder('driftline-helper-charts-');
    registry = await startRegistry({ htpasswd: 'keeper:keychain-pass' });
    await registry.push(await packageChart(charts, 'podinfo', '1.0.0'), 'charts');
  });

  beforeEach(async () => {
    home = await tempFolder('driftline-helper-home-');
    bin = path.join(home, 'bin');
    cacheRoot = path.join(home, 'cache');
    await fs.mkdir(bin);
    await fs.mkdir(path.join(home, '.docker'));
  });

  afterEach(() => fs.rm(home, { recursive: true, force: true }));

  after(async () => {
    await registry.stop();
    await fs.rm(charts, { recursive: true, force: true });
  });

  const log = () => path.join(home, 'asked.log');
  const context = (): FetchContext => ({
    cache: new SourceCache(cacheRoot),
    // No helm registry login: only docker's config.json can give one.
    env: { HOME: home, HELM_REGISTRY_CONFIG: path.join(home, 'none.json'), PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
  });

  async function install(name: string, login: string): Promise<void> {
    const file = path.join(bin, `docker-credential-${name}`);
    await fs.writeFile(file, helperScript(registry.host, login, log()));
    await fs.chmod(file, 0o755);
  }

  const dockerConfig = (config: unknown) => fs.writeFile(path.join(home, '.docker', 'config.json'), JSON.stringify(config));
  const fetchPodinfo = () => fetchChart({ repoURL: `oci://${registry.host}/charts`, chart: 'podinfo', version: '1.0.0' }, context());

  it('runs the credsStore helper with the registry host on stdin and logs in with its answer', async () => {
    await install('keychain', 'keeper:keychain-pass');
    await dockerConfig({ auths: { [registry.host]: {} }, credsStore: 'keychain' });
    assert.equal((await fetchPodinfo()).version, '1.0.0');
    assert.deepEqual((await fs.readFile(log(), 'utf8')).trim().split('\n'), [registry.host]);
  });

  it('prefers the registry\'s own helper (credHelpers) over credsStore', async () => {
    await install('keychain', 'keeper:keychain-pass');
    await install('other', 'keeper:wrong');
    await dockerConfig({ credsStore: 'other', credHelpers: { [registry.host]: 'keychain' } });
    assert.equal((await fetchPodinfo()).version, '1.0.0');
  });

  it('says whose login the registry refused, naming the helper', async () => {
    await install('keychain', 'keeper:outdated');
    await dockerConfig({ credsStore: 'keychain' });
    await assert.rejects(fetchPodinfo(), (error: Error) =>
      /HTTP 401/.test(error.message) && error.message.includes('the credentials of keeper from docker-credential-keychain were refused'));
  });

  describe('identity tokens (Username <token>, as Azure\'s acr helper answers)', () => {
    let tokenRegistry: TestRegistry;
    const identityToken = 'refresh-7f3a9c';

    before(async () => {
      tokenRegistry = await startRegistry({ token: 'reader:t0ken-pass', identityToken });
      await tokenRegistry.push(path.join(charts, 'podinfo-1.0.0.tgz'), 'private');
    });
    after(() => tokenRegistry.stop());

    const fetchPrivate = () => fetchChart({ repoURL: `oci://${tokenRegistry.host}/private`, chart: 'podinfo', version: '1.0.0' }, context());
    async function installFor(host: string, name: string, login: string): Promise<void> {
      const file = path.join(bin, `docker-credential-${name}`);
      await fs.writeFile(file, helperScript(host, login, log()));
      await fs.chmod(file, 0o755);
    }

    it('exchanges the helper\'s identity token at the registry\'s token service and reads the chart, never sending it as a password', async () => {
      await installFor(tokenRegistry.host, 'acr', `<token>:${identityToken}`);
      await dockerConfig({ credsStore: 'acr' });
      const before = tokenRegistry.tokens!.requests.length;
      assert.equal((await fetchPrivate()).version, '1.0.0');
      const asked = tokenRegistry.tokens!.requests.slice(before);
      assert.ok(asked.length > 0, 'the token service was asked');
      assert.ok(asked.every((request) => request.method === 'POST' && request.grantType === 'refresh_token' && request.refreshToken === identityToken), JSON.stringify(asked));
      assert.ok(asked.every((request) => request.authorization === undefined), 'no Authorization header carried the token');
    });

    it('takes the identitytoken docker login wrote in config.json the same way', async () => {
      await dockerConfig({ auths: { [tokenRegistry.host]: { auth: Buffer.from('00000000-0000-0000-0000-000000000000:').toString('base64'), identitytoken: identityToken } } });
      assert.equal((await fetchPrivate()).version, '1.0.0');
    });

    it('says the token service refused the identity token, naming where it came from', async () => {
      await installFor(tokenRegistry.host, 'acr', '<token>:refresh-expired');
      await dockerConfig({ credsStore: 'acr' });
      await assert.rejects(fetchPrivate(), (error: Error) =>
        error.message.startsWith(`POST ${tokenRegistry.tokens!.realm}: HTTP 401 Unauthorized (the identity token from docker-credential-acr was refused)`));
    });

    it('says a registry asking for a password cannot take an identity token', async () => {
      await install('acr', `<token>:${identityToken}`);
      await dockerConfig({ credsStore: 'acr' });
      await assert.rejects(fetchPodinfo(), (error: Error) =>
        /HTTP 401/.test(error.message) && error.message.includes(`${registry.host} asks for a password (Basic auth), and docker-credential-acr holds only an identity token for it`));
    });
  });

  it('names the helper and the config file when the helper is not installed', async () => {
    await dockerConfig({ credsStore: 'desktop' });
    await assert.rejects(fetchPodinfo(), (error: Error) =>
      error.message === `docker-credential-desktop (named in ${path.join(home, '.docker', 'config.json')}) is not on PATH`);
  });
});
