// Charts from a real HTTP chart repository (helm package + helm repo index, served on loopback), fetched as
// source-controller fetches them: version resolution, relative and absolute URLs, digests, credentials, failures
// that name their URL, and the cache that answers when the server is gone.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { fetchChart } from '../../../src/core/sources/fetchChart';
import type { FetchContext } from '../../../src/core/sources/fetchTypes';
import { SourceCache } from '../../../src/core/sources/sourceCache';
import { indexFolder, packageChart, serveFolder, tempFolder, type ChartServer } from '../../support/chartRepository';

const VERSIONS = ['1.0.0', '1.1.0', '1.2.0-rc.1', '2.0.0'];

describe('Helm repository charts', () => {
  const folders: string[] = [];
  const servers: ChartServer[] = [];
  let repo: ChartServer;
  let cacheRoot: string;
  let home: string;

  const context = (extra: Partial<FetchContext> = {}): FetchContext =>
    ({ cache: new SourceCache(cacheRoot), env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') }, ...extra });

  async function folder(prefix: string): Promise<string> {
    const made = await tempFolder(prefix);
    folders.push(made);
    return made;
  }

  before(async () => {
    const charts = await folder('driftline-charts-');
    for (const version of VERSIONS) await packageChart(charts, 'podinfo', version);
    indexFolder(charts);
    repo = await serveFolder(charts);
    servers.push(repo);
  });

  beforeEach(async () => {
    cacheRoot = await folder('driftline-cache-');
    home = await folder('driftline-home-');
  });

  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await Promise.all(folders.map((made) => fs.rm(made, { recursive: true, force: true })));
  });

  async function versionOf(version: string | undefined): Promise<string> {
    const fetched = await fetchChart({ repoURL: repo.url, chart: 'podinfo', ...(version !== undefined ? { version } : {}) }, context());
    return fetched.version;
  }

  it('takes an exact version as it is, even a prerelease', async () => {
    assert.equal(await versionOf('1.1.0'), '1.1.0');
    assert.equal(await versionOf('1.2.0-rc.1'), '1.2.0-rc.1');
  });

  it('resolves a semver range to the highest stable version it accepts (Masterminds syntax, commas included)', async () => {
    assert.equal(await versionOf('1.x'), '1.1.0');
    assert.equal(await versionOf('^1.0.0'), '1.1.0');
    assert.equal(await versionOf('>=1.0.0, <2.0.0'), '1.1.0');
  });

  it('takes * and no version as the latest stable version', async () => {
    assert.equal(await versionOf('*'), '2.0.0');
    assert.equal(await versionOf(undefined), '2.0.0');
  });

  it('considers prereleases only when the range names one', async () => {
    assert.equal(await versionOf('>=1.1.0 <2.0.0'), '1.1.0');
    assert.equal(await versionOf('>=1.1.0-0 <2.0.0'), '1.2.0-rc.1');
  });

  it('names the range and the versions there are when nothing matches', async () => {
    await assert.rejects(versionOf('>=3.0.0'),
      new RegExp(`chart podinfo in ${repo.url}: no version matches ">=3.0.0" .*\\(versions: 2.0.0, 1.2.0-rc.1, 1.1.0, 1.0.0\\)`));
  });

  it('names the charts the repository has when the chart is not there', async () => {
    await assert.rejects(fetchChart({ repoURL: repo.url, chart: 'nginx' }, context()), /chart nginx is not in http:\/\/127\.0\.0\.1:\d+\/index\.yaml \(charts: podinfo\)/);
  });

  it('stores the archive under its digest and serves the next fetch of that digest from the cache', async () => {
    const first = await fetchChart({ repoURL: repo.url, chart: 'podinfo', version: '1.0.0' }, context());
    const data = await fs.readFile(first.archive);
    assert.equal(first.digest, createHash('sha256').update(data).digest('hex'));
    assert.equal(first.archive, path.join(cacheRoot, 'charts', `${first.digest}.tgz`));
    const downloads = () => repo.authorizations.filter((request) => request.path.endsWith('podinfo-1.0.0.tgz')).length;
    const before = downloads();
    const second = await fetchChart({ repoURL: repo.url, chart: 'podinfo', version: '1.0.0' }, context());
    assert.equal(second.archive, first.archive);
    assert.equal(second.note, undefined);
    assert.equal(downloads(), before, 'the archive was not downloaded again');
  });

  it('keeps charts for the session when the cache folder cannot be written, and says so once', async () => {
    // A file where the cache folder should be (what a read-only or full disk does to a root user too).
    const blocked = path.join(await folder('driftline-blocked-'), 'cache');
    await fs.writeFile(blocked, 'not a folder');
    const cache = new SourceCache(blocked);
    const first = await fetchChart({ repoURL: repo.url, chart: 'podinfo', version: '1.0.0' }, context({ cache }));
    assert.equal(first.version, '1.0.0');
    assert.match(first.note ?? '', /^the chart cache .*\/cache cannot be written \((ENOTDIR|EEXIST)\): fetched charts are kept for this session only$/);
    assert.ok(!first.archive.startsWith(blocked) && (await fs.stat(first.archive)).size > 0, first.archive);
    const second = await fetchChart({ repoURL: repo.url, chart: 'podinfo', version: '1.1.0' }, context({ cache }));
    assert.equal(second.version, '1.1.0');
    assert.equal(second.note, undefined, 'said once');
    assert.equal((await fetchChart({ repoURL: repo.url, chart: 'podinfo', version: '1.0.0' }, context({ cache }))).archive, first.archive, 'the session keeps what it fetched');
    assert.equal(await fs.readFile(blocked, 'utf8'), 'not a folder');
  });

  it('downloads absolute URLs of the index, and says a missing archive is HTTP 404 at its URL', async () => {
    const charts = await folder('driftline-absolute-');
    await packageChart(charts, 'web', '0.1.0');
    const server = await serveFolder(charts);
    servers.push(server);
    indexFolder(charts, `${server.url}/downloads`);
    await assert.rejects(fetchChart({ repoURL: server.url, chart: 'web' }, context()),
      new RegExp(`GET ${server.url}/downloads/web-0.1.0.tgz: HTTP 404 Not Found`));
    await fs.mkdir(path.join(charts, 'downloads'));
    await fs.rename(path.join(charts, 'web-0.1.0.tgz'), path.join(charts, 'downloads', 'web-0.1.0.tgz'));
    assert.equal((await fetchChart({ repoURL: server.url, chart: 'web' }, context())).version, '0.1.0');
  });

  it('says a repository URL that serves no index is HTTP 404 at <url>/index.yaml', async () => {
    await assert.rejects(fetchChart({ repoURL: `${repo.url}/nothing-here`, chart: 'podinfo' }, context()),
      new RegExp(`GET ${repo.url}/nothing-here/index.yaml: HTTP 404 Not Found`));
  });

  it('refuses a corrupt archive naming the chart, and one that does not match the index digest', async () => {
    const charts = await folder('driftline-corrupt-');
    await packageChart(charts, 'broken', '0.1.0');
    await packageChart(charts, 'tampered', '0.1.0');
    indexFolder(charts);
    const garbage = Buffer.from('<html>this is no chart</html>');
    await fs.writeFile(path.join(charts, 'broken-0.1.0.tgz'), garbage);
    await fs.appendFile(path.join(charts, 'tampered-0.1.0.tgz'), 'x');
    // The index of `broken` vouches for the garbage (a repository that indexed a bad upload).
    const indexFile = path.join(charts, 'index.yaml');
    const index = parseYaml(await fs.readFile(indexFile, 'utf8'));
    index.entries.broken[0].digest = createHash('sha256').update(garbage).digest('hex');
    await fs.writeFile(indexFile, stringifyYaml(index));
    const server = await serveFolder(charts);
    servers.push(server);
    await assert.rejects(fetchChart({ repoURL: server.url, chart: 'broken' }, context()),
      new RegExp(`chart broken 0.1.0 from ${server.url}/broken-0.1.0.tgz is not a valid chart archive: not a gzip archive`));
    await assert.rejects(fetchChart({ repoURL: server.url, chart: 'tampered' }, context()),
      /chart tampered 0\.1\.0 from .* does not match the digest in .*index\.yaml/);
    assert.deepEqual(await fs.readdir(path.join(cacheRoot, 'charts')).catch(() => []), [], 'nothing bad entered the cache');
  });

  it('gives up on a server that accepts the request and never answers, naming the URL and the limit', async () => {
    const stalled = await serveFolder(path.dirname(await packageChart(await folder('driftline-stall-'), 'slow', '1.0.0')));
    servers.push(stalled);
    stalled.stalled.add('/index.yaml');
    const started = Date.now();
    await assert.rejects(fetchChart({ repoURL: stalled.url, chart: 'slow' }, context({ timeoutMs: 300 })),
      new RegExp(`GET ${stalled.url}/index.yaml: no complete answer within 0.3 s`));
    assert.ok(Date.now() - started < 5000, 'the timeout ended it');
  });

  it('stops at once when the caller aborts, rejecting with the abort, not a source error', async () => {
    const stalled = await serveFolder(await folder('driftline-abort-'));
    servers.push(stalled);
    stalled.stalled.add('/index.yaml');
    const controller = new AbortController();
    const pending = fetchChart({ repoURL: stalled.url, chart: 'x' }, context({ signal: controller.signal }));
    setImmediate(() => controller.abort());
    await assert.rejects(pending, { name: 'AbortError' });
  });

  it('falls back to the cached copy when the server is gone, and says so with the reason', async () => {
    const charts = await folder('driftline-offline-');
    await packageChart(charts, 'podinfo', '6.5.4');
    indexFolder(charts);
    const server = await serveFolder(charts);
    servers.push(server);
    const request = { repoURL: server.url, chart: 'podinfo', version: '6.x' };
    const fresh = await fetchChart(request, context());
    assert.equal(fresh.note, undefined);
    await server.stop();
    const offline = await fetchChart(request, context());
    assert.equal(offline.archive, fresh.archive);
    assert.equal(offline.version, '6.5.4');
    assert.match(offline.note ?? '', new RegExp(`^chart podinfo 6.5.4 from cache, fetched just now \\(GET ${server.url}/index.yaml: (connection refused|the server closed the connection)`));
    await assert.rejects(fetchChart({ ...request, version: '7.x' }, context()), new RegExp(`GET ${server.url}/index.yaml: `), 'a request never fetched has no cached copy');
  });

  describe('with basic auth', () => {
    let secured: ChartServer;
    let other: ChartServer;

    before(async () => {
      // The index sends downloads of `elsewhere` to another host (127.0.0.2): the password must not go there.
      const charts = await folder('driftline-secured-');
      await packageChart(charts, 'podinfo', '1.0.0');
      const elsewhere = await folder('driftline-elsewhere-');
      await packageChart(elsewhere, 'elsewhere', '1.0.0');
      other = await serveFolder(elsewhere, { host: '127.0.0.2' });
      servers.push(other);
      indexFolder(elsewhere, other.url);
      indexFolder(charts);
      const index = parseYaml(await fs.readFile(path.join(charts, 'index.yaml'), 'utf8'));
      index.entries.elsewhere = parseYaml(await fs.readFile(path.join(elsewhere, 'index.yaml'), 'utf8')).entries.elsewhere;
      await fs.writeFile(path.join(charts, 'index.yaml'), stringifyYaml(index));
      secured = await serveFolder(charts, { basicAuth: 'reader:s3cret' });
      servers.push(secured);
    });

    async function login(password: string): Promise<void> {
      const file = path.join(home, '.config', 'helm', 'repositories.yaml');
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, stringifyYaml({ apiVersion: '', repositories: [{ name: 'secured', url: `${secured.url}/`, username: 'reader', password }] }));
    }

    it('sends the username and password of helm\'s repositories.yaml for that URL', async () => {
      await login('s3cret');
      assert.equal((await fetchChart({ repoURL: secured.url, chart: 'podinfo' }, context())).version, '1.0.0');
    });

    it('says HTTP 401 and whose credentials were refused when the password is wrong', async () => {
      await login('wrong');
      await assert.rejects(fetchChart({ repoURL: secured.url, chart: 'podinfo' }, context()),
        new RegExp(`GET ${secured.url}/index.yaml: HTTP 401 Unauthorized \\(the credentials of reader from .*repositories.yaml were refused\\)`));
    });

    it('says there are no credentials when helm has none for the repository', async () => {
      await assert.rejects(fetchChart({ repoURL: secured.url, chart: 'podinfo' }, context()),
        /HTTP 401 Unauthorized \(no credentials for 127\.0\.0\.1:\d+ in your helm or docker configuration\)/);
    });

    it('sends the login of a user:password@ repository URL as Basic auth, and never shows the password', async () => {
      const withLogin = (password: string) => secured.url.replace('http://', `http://reader:${password}@`);
      assert.equal((await fetchChart({ repoURL: withLogin('s3cret'), chart: 'podinfo' }, context())).version, '1.0.0');
      // Refused, the same request falls back to the chart fetched a moment ago and says why.
      const refused = await fetchChart({ repoURL: withLogin('hunter2'), chart: 'podinfo' }, context());
      assert.match(refused.note ?? '', new RegExp(`from cache, fetched just now \\(GET ${secured.url}/index.yaml: HTTP 401 Unauthorized \\(the credentials of reader from the repository URL were refused\\)\\)$`));
      const cached = await fs.readdir(path.join(cacheRoot, 'resolved'));
      for (const file of cached) assert.doesNotMatch(await fs.readFile(path.join(cacheRoot, 'resolved', file), 'utf8'), /s3cret/);
    });

    it('never sends the password to another host an index entry points at', async () => {
      await login('s3cret');
      assert.equal((await fetchChart({ repoURL: secured.url, chart: 'elsewhere' }, context())).version, '1.0.0');
      const download = other.authorizations.find((request) => request.path === '/elsewhere-1.0.0.tgz');
      assert.ok(download, 'the archive came from the other host');
      assert.equal(download.authorization, undefined);
    });
  });
});
