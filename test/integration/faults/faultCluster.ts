// What the fault suite's files share: one cluster of their own (started on first use, stopped after the run),
// which they kill, restart and put behind proxies, so the cluster the other suites share is never touched; and
// the tally of fault cases, printed once at the end as "faults survived N of M".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { startPrivateCluster, type PrivateCluster } from '../../support/privateCluster';

/** Bootstrap tokens (Secrets in kube-system) can be made, expired and deleted while the server runs. */
const APISERVER_ARGS = ['--enable-bootstrap-token-auth'];

let started: Promise<PrivateCluster> | undefined;

/** The fault suite's own cluster; every test leaves it running (see `afterEachFault`). */
export function faultCluster(): Promise<PrivateCluster> {
  started ??= startPrivateCluster({ apiserverArgs: APISERVER_ARGS });
  return started;
}

const tally = { survived: 0, cases: 0 };

/**
 * For a fault suite: counts its cases, and after each one starts again whatever it left stopped, so a failed
 * case cannot take the next one down with it.
 */
export function faultSuite(): void {
  afterEach(async function () {
    tally.cases += 1;
    if (this.currentTest?.state === 'passed') tally.survived += 1;
    if (started) await (await started).ensureRunning();
  });
}

// Root-level: after every suite of the run.
after(async () => {
  if (tally.cases) console.log(`faults survived ${tally.survived} of ${tally.cases}`);
  if (started) await (await started).stop();
});

/** A temp dir removed by `remove()`. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `driftline-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of `kubeconfig` whose clusters all point at `server` (a proxy in front of the real one). */
export function kubeconfigVia(kubeconfig: string, realServer: string, server: string, file: string): string {
  fs.writeFileSync(file, fs.readFileSync(kubeconfig, 'utf8').split(realServer).join(server), { mode: 0o600 });
  return file;
}

/** A kubeconfig with one context `name` on `server` (the cluster's CA) whose user authenticates with `token`. */
export function tokenKubeconfig(cluster: PrivateCluster, options: { file: string; name: string; token: string; server?: string }): string {
  const ca = (fs.readFileSync(cluster.info.kubeconfig, 'utf8').match(/certificate-authority-data: (\S+)/) ?? [])[1];
  fs.writeFileSync(options.file, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': options.name,
    clusters: [{ name: options.name, cluster: { server: options.server ?? cluster.info.server, 'certificate-authority-data': ca } }],
    users: [{ name: options.name, user: { token: options.token } }],
    contexts: [{ name: options.name, context: { cluster: options.name, user: options.name, namespace: 'default' } }],
  }), { mode: 0o600 });
  return options.file;
}

/** Polls `condition` until it holds, failing with `what` after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
