// Fetches of remote charts as the user follows them through the workspace: each start and end is reported (what
// it resolved to, or the URL and HTTP status that failed it) while the other charts still arrive; no more run
// at once than the bound; and stopping the caller's signal stops a fetch a stalled server never answers, at
// once, reported as stopped rather than failed. A real chart repository on loopback.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import type { SourceFetchEvent } from '../../../src/core/sources/fetchProgress';
import { Workspace } from '../../../src/core/workspace';
import { indexFolder, packageChart, serveFolder, tempFolder, type ChartServer } from '../../support/chartRepository';

describe('Source fetch progress', () => {
  let charts: string;
  let cacheRoot: string;
  let server: ChartServer;

  before(async () => {
    charts = await tempFolder('driftline-progress-charts-');
    await packageChart(charts, 'podinfo', '6.5.4');
    await packageChart(charts, 'redis', '1.2.0');
    indexFolder(charts);
    await fs.rm(`${charts}/redis-1.2.0.tgz`); // listed in the index, gone from the server: HTTP 404
    server = await serveFolder(charts);
  });

  beforeEach(async () => {
    cacheRoot = await tempFolder('driftline-progress-cache-');
  });

  afterEach(() => fs.rm(cacheRoot, { recursive: true, force: true }));

  after(async () => {
    await server.stop();
    await fs.rm(charts, { recursive: true, force: true });
  });

  function workspaceWith(concurrency?: number): { workspace: Workspace; events: SourceFetchEvent[] } {
    const workspace = new Workspace({ repoRoot: charts, sources: { cacheRoot, env: { HOME: cacheRoot }, ...(concurrency ? { concurrency } : {}) } });
    const events: SourceFetchEvent[] = [];
    workspace.sourceFetches.onFetch((event) => events.push(event));
    return { workspace, events };
  }

  it('reports each fetch\'s start and end: the version it resolved to, or the URL and HTTP status that failed it', async () => {
    const { workspace, events } = workspaceWith();
    const results = await Promise.allSettled([
      workspace.fetchChart({ repoURL: server.url, chart: 'podinfo', version: '6.x' }),
      workspace.fetchChart({ repoURL: server.url, chart: 'redis', version: '1.2.0' }),
    ]);
    assert.equal(results[0].status, 'fulfilled', 'the other chart still arrives');
    assert.equal(results[1].status, 'rejected');
    const ended = events.filter((event) => event.phase !== 'started').map((event) => [event.phase, event.what, event.detail]);
    assert.deepEqual(ended.sort(), [
      ['failed', `chart redis 1.2.0 from ${server.url}`, `GET ${server.url}/redis-1.2.0.tgz: HTTP 404 Not Found`],
      ['fetched', `chart podinfo 6.x from ${server.url}`, '6.5.4'],
    ]);
    assert.deepEqual(events.map((event) => event.phase).filter((phase) => phase === 'started'), ['started', 'started']);
    const last = events[events.length - 1];
    assert.deepEqual([last.running, last.started, last.ended], [0, 2, 2]);
  });

  it('runs no more fetches at once than the bound', async () => {
    const { workspace, events } = workspaceWith(1);
    await Promise.allSettled(['podinfo', 'redis', 'podinfo'].map((chart) => workspace.fetchChart({ repoURL: server.url, chart })));
    assert.equal(events.length, 6);
    assert.deepEqual(events.map((event) => event.running), [1, 0, 1, 0, 1, 0], 'one after another');
  });

  it('stops a fetch the server never answers as soon as the caller stops, reporting it stopped', async () => {
    server.stalled.add('/index.yaml');
    try {
      const { workspace, events } = workspaceWith();
      const stop = new AbortController();
      workspace.sourceFetches.onFetch((event) => { if (event.phase === 'started') stop.abort(new Error('the user cancelled')); });
      const started = Date.now();
      await assert.rejects(workspace.fetchChart({ repoURL: server.url, chart: 'podinfo' }, stop.signal), /the user cancelled/);
      assert.ok(Date.now() - started < 2000, `stopped after ${Date.now() - started} ms (the time limit is 60 s)`);
      assert.deepEqual(events.map((event) => [event.phase, event.what]), [
        ['started', `chart podinfo from ${server.url}`], ['stopped', `chart podinfo from ${server.url}`],
      ]);
      assert.ok(server.authorizations.some((request) => request.path === '/index.yaml'), 'the request had reached the server');
    } finally {
      server.stalled.delete('/index.yaml');
    }
  });
});
