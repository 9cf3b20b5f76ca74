// Fetches of remote charts on the CLI's stderr, never on stdout: `driftline build --json` of a HelmRelease whose
// chart comes from a chart repository on loopback prints clean JSON while stderr has one line per fetch (not a
// terminal), or a progress line rewritten in place and cleared at the end (a terminal); a chart the server does
// not have is named with its URL and HTTP status.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { PassThrough } from 'node:stream';
import { stringify } from 'yaml';
import { runBuild } from '../../../src/cli/build';
import { indexFolder, packageChart, serveFolder, tempFolder, type ChartServer } from '../../support/chartRepository';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { runCommand } from './listCommands';

const helmRelease = (name: string, chart: string) => stringify({
  apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace: 'apps' },
  spec: { chart: { spec: { chart, version: '*', sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } } } },
});

describe('driftline build: fetch progress on stderr', () => {
  let charts: string;
  let cacheRoot: string;
  let server: ChartServer;
  let repo: string;
  const cacheVariable = process.env.DRIFTLINE_SOURCES_CACHE;

  before(async () => {
    charts = await tempFolder('driftline-cli-progress-charts-');
    await packageChart(charts, 'podinfo', '6.5.4');
    await packageChart(charts, 'redis', '1.2.0');
    indexFolder(charts);
    await fs.rm(`${charts}/redis-1.2.0.tgz`);
    server = await serveFolder(charts);
    repo = await writeRepo({
      'clusters/dev/sources.yaml': stringify({
        apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'charts', namespace: 'flux-system' }, spec: { url: server.url },
      }),
      'clusters/dev/podinfo.yaml': helmRelease('podinfo', 'podinfo'),
      'clusters/dev/redis.yaml': helmRelease('redis', 'redis'),
    });
  });

  beforeEach(async () => {
    cacheRoot = await tempFolder('driftline-cli-progress-cache-');
    process.env.DRIFTLINE_SOURCES_CACHE = cacheRoot;
  });

  afterEach(async () => {
    if (cacheVariable === undefined) delete process.env.DRIFTLINE_SOURCES_CACHE;
    else process.env.DRIFTLINE_SOURCES_CACHE = cacheVariable;
    await fs.rm(cacheRoot, { recursive: true, force: true });
  });

  after(async () => {
    await server.stop();
    await removeTempRepos();
    await fs.rm(charts, { recursive: true, force: true });
  });

  it('keeps stdout JSON and writes one line per fetch on a stderr that is no terminal', async () => {
    const { code, stdout, stderr } = await runCommand(runBuild, ['--repo', repo, '--app', 'podinfo', '--json']);
    assert.equal(code, 0, stderr);
    assert.equal((JSON.parse(stdout) as { objects: unknown[] }).objects.length, 1);
    assert.match(stderr, new RegExp(`^fetched chart podinfo \\* from ${server.url}: 6\\.5\\.4 \\(\\d+ ms\\)\\n$`));
  });

  it('names the URL and HTTP status of a chart the server does not have', async () => {
    const { code, stderr } = await runCommand(runBuild, ['--repo', repo, '--app', 'redis']);
    assert.equal(code, 2);
    assert.match(stderr, new RegExp(`^could not fetch chart redis \\* from ${server.url}: GET ${server.url}/redis-1\\.2\\.0\\.tgz: HTTP 404 Not Found\\n`));
  });

  it('on a terminal, shows the fetch on one line rewritten in place and clears it once the fetch ends', async () => {
    const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
    const stdout = new PassThrough();
    const written: string[] = [];
    stderr.on('data', (chunk: Buffer) => written.push(chunk.toString('utf8')));
    const out: string[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
    const code = await runBuild(['--repo', repo, '--app', 'podinfo'], { stdout, stderr });
    assert.equal(code, 0);
    assert.deepEqual(written, [`fetching chart podinfo * from ${server.url} (0 of 1 done)`, '\r\x1b[K']);
    assert.match(out.join(''), /^---\n# Source: clusters\/dev\/podinfo\.yaml/);
  });
});
