// `driftline sync` end to end against the real test API server.
import assert from 'node:assert/strict';
import { runSync } from '../../../src/cli/sync';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { runCli } from './runCli';
import { makeSyncRepo, ref, shopObjects, type SyncRepo } from './syncFixture';

const admin = testClient();

describe('driftline sync', () => {
  let namespace: string;
  let repo: SyncRepo;
  const base = () => ['--repo', repo.root, '--kubeconfig', testCluster().kubeconfig, '--env', 'dev', '--app', 'shop'];

  beforeEach(async () => {
    namespace = await freshNamespace('sync-cli', admin);
    repo = makeSyncRepo({ namespace, objects: shopObjects(namespace) });
  });
  afterEach(() => repo.cleanup());

  it('--dry-run prints create/update/prune per object, writes nothing, and exits 1 when there is work', async () => {
    const run = await runCli(runSync, [...base(), '--dry-run']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, new RegExp(`create\\s+ConfigMap/${namespace}/shop-config`));
    assert.match(run.stdout, /4 to create, 0 to update, 0 to prune/);
    assert.equal(await admin.get(ref('ConfigMap', namespace, 'shop-config')), undefined);
  });

  it('refuses to write without --yes when there is no terminal to ask on', async () => {
    const run = await runCli(runSync, base());
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Not going to sync app shop in environment dev without --yes .*Nothing was changed/);
    assert.equal(await admin.get(ref('ConfigMap', namespace, 'shop-config')), undefined);
  });

  it('asks y/N on a terminal: "n" changes nothing, "y" applies', async () => {
    const no = await runCli(runSync, base(), { typed: 'n' });
    assert.equal(no.code, 2);
    assert.match(no.stdout, /Sync app shop in environment dev\? \[y\/N\]/);
    assert.equal(await admin.get(ref('ConfigMap', namespace, 'shop-config')), undefined);
    const yes = await runCli(runSync, base(), { typed: 'y' });
    assert.equal(yes.code, 0, yes.stderr);
    assert.ok(await admin.get(ref('ConfigMap', namespace, 'shop-config')));
  });

  it('applies with --yes, then a second run has nothing to sync', async () => {
    const first = await runCli(runSync, [...base(), '--yes']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`created Deployment/${namespace}/shop`));
    const second = await runCli(runSync, [...base(), '--yes']);
    assert.equal(second.code, 0);
    assert.match(second.stdout, /4 unchanged/);
    assert.match(second.stdout, /Nothing to sync\./);
  });

  it('in a protected environment, even a terminal "y" is not enough: it needs --yes', async () => {
    repo.cleanup();
    repo = makeSyncRepo({ namespace, objects: shopObjects(namespace), protected: true });
    const run = await runCli(runSync, base(), { typed: 'y' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Environment dev is protected: to sync app shop in environment dev, run again with --yes/);
    assert.equal(await admin.get(ref('ConfigMap', namespace, 'shop-config')), undefined);
    assert.equal((await runCli(runSync, [...base(), '--yes'])).code, 0);
  });

  it('names the owning field manager and exits 2 on a conflict; --force-conflicts applies', async () => {
    await runCli(runSync, [...base(), '--yes']);
    await admin.serverSideApply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-config', namespace }, data: { color: 'green' } },
      { dryRun: false, fieldManager: 'kubectl-edit', force: true },
    );
    const refused = await runCli(runSync, [...base(), '--yes']);
    assert.equal(refused.code, 2);
    assert.match(refused.stdout, /conflict: \.data\.color owned by "kubectl-edit" \(needs force\)/);
    assert.match(refused.stderr, /would take over fields other field managers own; nothing was changed:\n.*\.data\.color owned by "kubectl-edit"/);
    assert.deepEqual((await admin.get(ref('ConfigMap', namespace, 'shop-config')))?.data, { color: 'green', size: 'large' });
    const forced = await runCli(runSync, [...base(), '--yes', '--force-conflicts']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual((await admin.get(ref('ConfigMap', namespace, 'shop-config')))?.data, { color: 'blue', size: 'large' });
  });

  it('explains unknown apps and bad flags', async () => {
    const unknown = await runCli(runSync, ['--repo', repo.root, '--env', 'dev', '--app', 'nope', '--dry-run']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /driftline sync: no app "nope" in environment dev \(apps: shop\)/);
    const bad = await runCli(runSync, ['--app', 'shop']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--env and --app are required/);
  });
});
