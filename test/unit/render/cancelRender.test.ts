// Stop while kustomize hangs: through the engine (a status, a discovery) and through the CLI process (SIGINT),
// the run ends within 1 s of the abort and no process of the tool is left. The renders never reach a cluster,
// so none is needed: the kube context is resolved only after the render.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { DriftEngine } from '../../../src/core/drift/engine';
import { assertNoneLeft, isRunning, rejectionAfter, waitUntil, writeHangingTool, type HangingTool } from '../../support/hangingTool';

const CLI = path.resolve(__dirname, '../../../../dist/cli.js');
const CONFIGMAP = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {a: b}\n`;

/** A repo of `apps` kustomize folders in environment `test`, built with `kustomize` (the hanging one). */
function kustomizeRepo(kustomize: string, apps: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-cancel-'));
  const names = Array.from({ length: apps }, (_, index) => `app-${index}`);
  for (const name of names) {
    fs.mkdirSync(path.join(root, 'apps', name), { recursive: true });
    fs.writeFileSync(path.join(root, 'apps', name, 'kustomization.yaml'), 'resources: [cm.yaml]\n');
    fs.writeFileSync(path.join(root, 'apps', name, 'cm.yaml'), CONFIGMAP(name));
  }
  fs.writeFileSync(path.join(root, '.driftline.yaml'), stringify({
    environments: [{ name: 'test', context: 'never-contacted' }],
    apps: names.map((name) => ({ name, environments: ['test'], path: `apps/${name}` })),
    tools: { kustomize },
    discovery: { flux: false, argo: false, conventions: false },
  }));
  return root;
}

/**
 * A Flux repo whose HelmRelease (chart in this repo) is deployed by a Kustomization: discovery builds that
 * Kustomization with kustomize to take the release as the cluster gets it.
 */
function fluxRepo(kustomize: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-cancel-flux-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('.driftline.yaml', stringify({ tools: { kustomize } }));
  write('clusters/staging/apps.yaml', stringify({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' },
    spec: { interval: '10m', path: './apps/staging', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
  }));
  write('apps/staging/kustomization.yaml', 'resources: [release.yaml]\n');
  write('apps/staging/release.yaml', stringify({
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'web', namespace: 'default' },
    spec: { interval: '10m', chart: { spec: { chart: './charts/web', sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } } } },
  }));
  write('charts/web/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
  write('charts/web/templates/cm.yaml', CONFIGMAP('web'));
  return root;
}

describe('Stop while kustomize hangs', function () {
  this.timeout(30_000);
  let tool: HangingTool;
  const roots: string[] = [];
  beforeEach(() => { tool = writeHangingTool('kustomize'); });
  afterEach(() => {
    tool.remove();
    for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
  });

  async function abortStatusWhileRendering(apps: number, runs: number): Promise<void> {
    const root = kustomizeRepo(tool.path, apps);
    roots.push(root);
    const engine = new DriftEngine({ repoRoot: root, kubeconfig: path.join(root, 'no-kubeconfig') });
    const controller = new AbortController();
    try {
      const status = engine.status({}, controller.signal);
      await waitUntil(() => tool.runs() >= runs, `${runs} kustomize run(s) started`);
      const abortedAt = Date.now();
      controller.abort();
      const { error, ms } = await rejectionAfter(status, abortedAt);
      assert.equal(error.name, 'AbortError', String(error));
      assert.ok(ms < 1000, `status rejected ${ms} ms after the abort`);
      await assertNoneLeft(tool);
    } finally {
      engine.close();
    }
  }

  it('a status through the engine: one kustomize build per app', () => abortStatusWhileRendering(1, 1));

  it('a status through the engine: the batched kustomize build of many apps', async () => {
    await abortStatusWhileRendering(8, 1);
    assert.equal(tool.runs(), 1, 'an aborted batch is not retried app by app');
  });

  it('discovery through the engine, and a later discovery starts afresh', async () => {
    const root = fluxRepo(tool.path);
    roots.push(root);
    const engine = new DriftEngine({ repoRoot: root, kubeconfig: path.join(root, 'no-kubeconfig') });
    try {
      const first = new AbortController();
      const second = new AbortController();
      const discoveries = [engine.discover(first.signal), engine.discover(second.signal)];
      // The cluster root's build, and the build of what it applies, started beside it.
      await waitUntil(() => tool.runs() >= 1, 'discovery ran kustomize');
      first.abort();
      const { error } = await rejectionAfter(discoveries[0], Date.now());
      assert.equal(error.name, 'AbortError');
      assert.ok(tool.pids().every(isRunning), 'the other caller still waits: the discovery goes on');
      const abortedAt = Date.now();
      second.abort();
      const { ms } = await rejectionAfter(discoveries[1], abortedAt);
      assert.ok(ms < 1000, `discovery rejected ${ms} ms after the last waiter aborted`);
      await assertNoneLeft(tool);
      // The stopped discovery is not kept: the next one runs kustomize again.
      const runsBefore = tool.runs();
      const third = new AbortController();
      const again = engine.discover(third.signal);
      await waitUntil(() => tool.runs() > runsBefore, 'a new discovery ran kustomize');
      third.abort();
      await assert.rejects(again, { name: 'AbortError' });
      await assertNoneLeft(tool);
    } finally {
      engine.close();
    }
  });

  it('a file change while discovery runs, then Stop: nothing left waits for that discovery, so it stops too', async () => {
    const root = fluxRepo(tool.path);
    roots.push(root);
    const engine = new DriftEngine({ repoRoot: root, kubeconfig: path.join(root, 'no-kubeconfig') });
    try {
      const controller = new AbortController();
      const discovery = engine.discover(controller.signal);
      await waitUntil(() => tool.runs() >= 1, 'discovery ran kustomize');
      // A file event (an editor saving, say) arrives while the discovery runs, as in VS Code.
      engine.filesChanged([path.join(root, 'apps/staging/release.yaml')]);
      const abortedAt = Date.now();
      controller.abort();
      const { ms } = await rejectionAfter(discovery, abortedAt);
      assert.ok(ms < 1000, `discovery rejected ${ms} ms after the abort`);
      await assertNoneLeft(tool);
    } finally {
      engine.close();
    }
  });

  it('discoverRepo itself, with its signal', async () => {
    const root = fluxRepo(tool.path);
    roots.push(root);
    const controller = new AbortController();
    const discovery = discoverRepo(root, { signal: controller.signal });
    await waitUntil(() => tool.runs() >= 1, 'discovery ran kustomize'); // the root's build, and its child's beside it
    const abortedAt = Date.now();
    controller.abort();
    const { error, ms } = await rejectionAfter(discovery, abortedAt);
    assert.equal(error.name, 'AbortError');
    assert.ok(ms < 1000, `rejected ${ms} ms after the abort`);
    await assertNoneLeft(tool);
  });

  it('driftline status (the CLI process): Ctrl-C (SIGINT) ends it within 1 s with exit status 130', async () => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`);
    const root = kustomizeRepo(tool.path, 1);
    roots.push(root);
    const child = spawn(process.execPath, [CLI, 'status', '--repo', root, '--kubeconfig', path.join(root, 'no-kubeconfig')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
    try {
      await waitUntil(() => tool.runs() === 1, 'the CLI ran kustomize');
      const interruptedAt = Date.now();
      child.kill('SIGINT');
      const { code, at } = await exited;
      assert.ok(at - interruptedAt < 1000, `exited ${at - interruptedAt} ms after SIGINT`);
      assert.equal(code, 130, stderr);
      assert.match(stderr, /^driftline status: stopped: interrupted \(SIGINT\)$/m);
      await assertNoneLeft(tool);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
