// A GitOps repo in a temp dir, described by `.driftline.yaml`, whose apps the tests apply to the test cluster
// with Driftline's field manager (as a direct sync would), then change live or in Git to cause drift.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import type { ClusterClient } from '../../../src/core/cluster/client';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { DriftEngine } from '../../../src/core/drift/engine';
import { beforeDryRunSteps, normalize } from '../../../src/core/drift/normalize';
import { DRIFTLINE_FIELD_MANAGER, type AppResult, type KubeObject, type ResourceResult, type StatusReport } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';

export const run = promisify(execFile);

export interface FixtureApp {
  name: string;
  environments: string[];
  namespace?: string;
  /** Files of the app's folder, relative to it. */
  files: Record<string, string>;
  /** A folder to copy in first (e.g. an example app). */
  copyFrom?: string;
}

export interface FixtureEnvironment {
  name: string;
  context: string;
}

/** Writes the repo; returns its root. */
export function writeRepo(environments: FixtureEnvironment[], apps: FixtureApp[], extraConfig: Record<string, unknown> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-drift-'));
  for (const app of apps) {
    const dir = path.join(root, 'apps', app.name);
    if (app.copyFrom) fs.cpSync(app.copyFrom, dir, { recursive: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(app.files)) fs.writeFileSync(path.join(dir, file), text);
  }
  const config = {
    environments,
    apps: apps.map((app) => ({
      name: app.name, environments: app.environments, path: `apps/${app.name}`, ...(app.namespace ? { namespace: app.namespace } : {}),
    })),
    discovery: { flux: false, argo: false, conventions: false },
    ...extraConfig,
  };
  fs.writeFileSync(path.join(root, '.driftline.yaml'), stringify(config));
  return root;
}

/** Renders the repo's apps of `environment` and server-side applies them as Driftline would, except `skip`. */
export async function applyApps(root: string, environment: string, client: ClusterClient, skip: (object: KubeObject) => boolean = () => false): Promise<KubeObject[]> {
  const model = await discoverRepo(root);
  const apps = model.environments.find((candidate) => candidate.name === environment)?.apps ?? [];
  const rendered = await renderApps(apps);
  const applied: KubeObject[] = [];
  for (const app of rendered) {
    if (app.error) throw new Error(`rendering ${app.app.name} failed: ${app.error}`);
    for (const { object } of app.objects) {
      if (skip(object)) continue;
      const prepared = normalize({ ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? app.app.namespace } }, beforeDryRunSteps);
      applied.push(await client.serverSideApply(prepared, { dryRun: false, fieldManager: DRIFTLINE_FIELD_MANAGER, force: true }));
    }
  }
  return applied;
}

/** One status run with a fresh engine, closed afterwards. */
export async function statusOnce(root: string, kubeconfig: string, options: { alwaysDryRun?: boolean } = {}): Promise<StatusReport> {
  const engine = new DriftEngine({ repoRoot: root, kubeconfig, ...options });
  try {
    return await engine.status();
  } finally {
    engine.close();
  }
}

export function appOf(report: StatusReport, environment: string, app: string): AppResult {
  const found = report.environments.find((candidate) => candidate.name === environment)?.apps.find((candidate) => candidate.name === app);
  if (!found) throw new Error(`no app ${environment}/${app} in the report`);
  return found;
}

export function resourceOf(app: AppResult, kind: string, name: string): ResourceResult {
  const found = app.resources.find((resource) => resource.kind === kind && resource.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in app ${app.name}: ${app.resources.map((r) => `${r.kind}/${r.name}`).join(', ')}`);
  return found;
}

/** Per object (`env/app Kind/namespace/name`): the verdict a user sees, with its reason and changed paths. */
export function verdictsOf(report: StatusReport): Record<string, string> {
  return Object.fromEntries(report.environments.flatMap((environment) => environment.apps.flatMap((app) => app.resources.map((resource) => [
    `${environment.name}/${app.name} ${resource.kind}/${resource.namespace ?? ''}/${resource.name}`,
    [resource.status, resource.reason ?? '', (resource.changedPaths ?? []).join(' ')].join(' | '),
  ]))));
}

/** How many resources each comparison mode answered. */
export function comparisonCounts(report: StatusReport): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const environment of report.environments) {
    for (const app of environment.apps) for (const resource of app.resources) counts[resource.comparison ?? 'none'] = (counts[resource.comparison ?? 'none'] ?? 0) + 1;
  }
  return counts;
}

/** `Status Kind/name` of every resource that is not Synced, sorted: what a user would see flagged. */
export function flagged(report: StatusReport): string[] {
  return report.environments.flatMap((environment) => environment.apps.flatMap((app) => app.resources
    .filter((resource) => resource.status !== 'Synced')
    .map((resource) => `${environment.name}/${app.name}: ${resource.status} ${resource.kind}/${resource.name}`))).sort();
}

/**
 * The oracle: for every object an environment's apps render, whether our verdict agrees with the exit status
 * of `kubectl diff --server-side --field-manager driftline` on that object alone (0: Synced, 1: OutOfSync or
 * Missing, more: Unknown). Returns the disagreements, each naming the object.
 */
export async function disagreementsWithKubectlDiff(root: string, report: StatusReport, environment: string,
  cluster: { kubeconfig: string; context: string }): Promise<string[]> {
  const model = await discoverRepo(root);
  const apps = model.environments.find((candidate) => candidate.name === environment)?.apps ?? [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-oracle-'));
  const disagreements: string[] = [];
  try {
    for (const app of await renderApps(apps)) {
      const result = appOf(report, environment, app.app.name);
      for (const { object } of app.objects) {
        const namespace = object.metadata.namespace ?? app.app.namespace;
        const prepared = normalize({ ...object, metadata: { ...object.metadata, ...(namespace ? { namespace } : {}) } }, beforeDryRunSteps);
        const file = path.join(dir, `${object.kind}-${object.metadata.name}.yaml`);
        fs.writeFileSync(file, stringify(prepared));
        const exit = await run('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', cluster.context, 'diff', '--server-side',
          '--field-manager', DRIFTLINE_FIELD_MANAGER, '--force-conflicts', '-f', file]).then(() => 0, (error) => Number(error.code));
        const expected = exit === 0 ? ['Synced'] : exit === 1 ? ['OutOfSync', 'Missing'] : ['Unknown'];
        const ours = resourceOf(result, object.kind, object.metadata.name).status;
        if (!expected.includes(ours)) disagreements.push(`${object.kind}/${object.metadata.name}: kubectl diff exit ${exit}, ours ${ours}`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return disagreements;
}

export function removeRepo(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}
