// Branch previews on real git repositories with branches, rendered by real kustomize, compared with the real
// API server: what a reviewer sees before merging (issue 14).
import * as assert from 'node:assert/strict';
import { main } from '../../../src/cli/main';
import { runPreview } from '../../../src/cli/preview';
import { DRIFTLINE_APP_LABEL, DRIFTLINE_ENV_ANNOTATION, DRIFTLINE_FIELD_MANAGER, type KubeObject } from '../../../src/core/model';
import { encryptText, keyGroupFor } from '../../../src/core/sops';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { newAgeIdentity } from '../../support/sops';
import { captureIO } from '../drift/captureIO';
import { snapshotRepo } from '../git/gitFixture';
import { appOf, branch, configMap, makeFleet, objectOf, previewOnce, service, type Fleet } from './previewFixture';

describe('branch preview', function () {
  this.timeout(120_000);
  const fleets: Fleet[] = [];
  const fleet = (prod?: string, staging?: string): Fleet => {
    const made = makeFleet(prod, staging);
    fleets.push(made);
    return made;
  };
  after(() => { for (const made of fleets) made.repo.cleanup(); });

  describe('in Git only (no cluster)', () => {
    it('shows a base that feeds several environments changed in each, and renders again only the apps it feeds', async () => {
      const { repo } = fleet();
      branch(repo, 'feature', { 'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'debug' }) });
      const result = await previewOnce(repo.root, { base: 'main', head: 'feature' });
      for (const environment of ['prod', 'staging']) {
        const web = appOf(result, environment, 'web');
        assert.equal(web.change, 'changed');
        assert.equal(web.renderedAgain, true);
        const object = objectOf(web, 'ConfigMap', 'web');
        assert.equal(object.change, 'changed');
        assert.deepEqual(object.changedPaths, ['/data/LOG_LEVEL']);
        assert.equal((object.base?.data as Record<string, string>).LOG_LEVEL, 'info');
        assert.equal((object.head?.data as Record<string, string>).LOG_LEVEL, 'debug');
      }
      const worker = appOf(result, 'prod', 'worker');
      assert.equal(worker.change, 'unchanged');
      assert.equal(worker.renderedAgain, false, 'the worker app reads no changed file: its base render is the head\'s');
      assert.deepEqual(result.rendering, { apps: 3, renderedAgain: 2 });
      assert.deepEqual(result.changedFiles, ['base/web/configmap.yaml']);
      assert.equal(result.head.mergedInto, undefined, 'feature contains main: a fast-forward, no merge');
    });

    it('shows an app the branch adds as added, with its objects', async () => {
      const { repo, prod } = fleet();
      branch(repo, 'add-api', { 'environments/prod/api/service.yaml': service('api', prod) });
      const result = await previewOnce(repo.root, { base: 'main', head: 'add-api' });
      const api = appOf(result, 'prod', 'api');
      assert.equal(api.change, 'added');
      assert.equal(objectOf(api, 'Service', 'api').change, 'added');
      assert.equal(objectOf(api, 'Service', 'api').base, undefined);
      assert.deepEqual(result.counts, { added: 1, changed: 0, removed: 0, pruned: 0, unchanged: 4 });
    });

    it('shows an app the branch deletes as removed when nothing of it is live', async () => {
      const { repo } = fleet();
      branch(repo, 'drop-worker', { 'environments/prod/worker/configmap.yaml': null, 'environments/prod/worker/service.yaml': null });
      const worker = appOf(await previewOnce(repo.root, { base: 'main', head: 'drop-worker' }), 'prod', 'worker');
      assert.equal(worker.change, 'removed');
      assert.deepEqual(worker.objects.map((object) => `${object.kind}/${object.name} ${object.change}`).sort(), ['ConfigMap/worker removed', 'Service/worker removed']);
    });

    it('shows a file renamed without changing what renders as no change (exit 0), sourced from the new file', async () => {
      const { repo } = fleet();
      branch(repo, 'rename', {
        'base/web/configmap.yaml': null,
        'base/web/web-config.yaml': configMap('web', { LOG_LEVEL: 'info' }),
        'base/web/kustomization.yaml': 'resources:\n  - web-config.yaml\n',
      });
      const result = await previewOnce(repo.root, { base: 'main', head: 'rename' });
      assert.deepEqual(result.counts, { added: 0, changed: 0, removed: 0, pruned: 0, unchanged: 4 });
      assert.deepEqual([...result.changedFiles].sort(), ['base/web/configmap.yaml', 'base/web/kustomization.yaml', 'base/web/web-config.yaml']);
      const io = captureIO();
      assert.equal(await runPreview(['--repo', repo.root, '--base', 'main', '--head', 'rename'], io), 0, io.err());
      assert.match(io.out(), /No app changes/);
    });

    it('previews the merge of a branch into a base that moved on, showing only the branch\'s change', async () => {
      const { repo } = fleet();
      branch(repo, 'feature', { 'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'debug' }) });
      repo.commit('worker: another queue', { 'environments/prod/worker/configmap.yaml': configMap('worker', { QUEUE: 'batch' }, 'prod-ns') });
      const result = await previewOnce(repo.root, { base: 'main', head: 'feature' });
      assert.equal(result.head.mergedInto, 'main');
      assert.equal(appOf(result, 'prod', 'worker').change, 'unchanged', 'main\'s own change is in both sides');
      assert.equal(appOf(result, 'prod', 'web').change, 'changed');
      const unmerged = await previewOnce(repo.root, { base: 'main', head: 'feature', merge: false });
      assert.equal(objectOf(appOf(unmerged, 'prod', 'worker'), 'ConfigMap', 'worker').change, 'changed', 'without the merge the branch lacks main\'s change');
    });

    it('refuses a branch that cannot merge into its base, naming the conflicting file, and leaves the checkout untouched', async () => {
      const { repo } = fleet();
      branch(repo, 'conflicting', { 'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'debug' }) });
      repo.commit('main: warn', { 'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'warn' }) });
      repo.write('environments/prod/worker/service.yaml', service('worker', 'prod-ns', 8080));
      const before = snapshotRepo(repo);
      const status = repo.git('status', '--porcelain');
      await assert.rejects(previewOnce(repo.root, { base: 'main', head: 'conflicting' }),
        /conflicting cannot be merged into main in .*: conflicts in base\/web\/configmap\.yaml \(nothing was changed\)/);
      assert.deepEqual(snapshotRepo(repo), before);
      assert.equal(repo.git('status', '--porcelain'), status);
      assert.equal(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 1, 'no scratch worktree is left');
      const io = captureIO();
      assert.equal(await main(['preview', '--repo', repo.root, '--base', 'main', '--head', 'conflicting'], io), 2);
      assert.match(io.err(), /conflicts in base\/web\/configmap\.yaml/);
    });

    it('refuses a ref that does not exist, naming it and the repository (exit 2)', async () => {
      const { repo } = fleet();
      await assert.rejects(previewOnce(repo.root, { base: 'main', head: 'no-such-branch' }), /no branch, tag or commit "no-such-branch" in /);
      const io = captureIO();
      assert.equal(await main(['preview', '--repo', repo.root, '--base', 'nope/nothing'], io), 2);
      assert.match(io.err(), /driftline preview: no branch, tag or commit "nope\/nothing" in /);
    });

    it('previews the working tree by default: uncommitted and untracked files, the checkout left as it was', async () => {
      const { repo, prod } = fleet();
      repo.write('environments/prod/worker/service.yaml', service('worker', prod, 8080));
      repo.write('environments/prod/api/service.yaml', service('api', prod));
      const before = snapshotRepo(repo);
      const result = await previewOnce(repo.root, { base: 'main' });
      assert.equal(result.head.ref, 'working tree');
      assert.deepEqual(objectOf(appOf(result, 'prod', 'worker'), 'Service', 'worker').changedPaths, ['/spec/ports/0/port']);
      assert.equal(appOf(result, 'prod', 'api').change, 'added');
      assert.deepEqual(snapshotRepo(repo), before);
    });

    it('leaves out the kinds --skip-kinds names', async () => {
      const { repo } = fleet();
      branch(repo, 'feature', { 'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'debug' }) });
      const io = captureIO();
      assert.equal(await runPreview(['--repo', repo.root, '--base', 'main', '--head', 'feature', '--skip-kinds', 'ConfigMap', '--format', 'json'], io), 0, io.err());
      const result = JSON.parse(io.out()) as { environments: { apps: { objects: { kind: string }[] }[] }[] };
      const kinds = result.environments.flatMap((environment) => environment.apps.flatMap((app) => app.objects.map((object) => object.kind)));
      assert.deepEqual(kinds, ['Service']);
    });

    it('writes a PR comment: a summary table, one <details> per changed object, and the size cap keeps the summary', async () => {
      const { repo, prod } = fleet();
      const many: Record<string, string> = {};
      for (let index = 0; index < 40; index++) many[`environments/prod/bulk/cm-${index}.yaml`] = configMap(`bulk-${index}`, { BLOB: 'x'.repeat(300) }, prod);
      branch(repo, 'bulk', { ...many, 'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'debug' }) });
      const full = captureIO();
      assert.equal(await runPreview(['--repo', repo.root, '--base', 'main', '--head', 'bulk', '--format', 'markdown'], full), 1, full.err());
      const comment = full.out();
      assert.match(comment, /^### Driftline preview: main \(\w{12}\) &lt;- bulk \(\w{12}\)/);
      assert.match(comment, /\| Environment \| App \| Change \| Added \| Changed \| Removed \| Pruned \|\n\|---\|---\|---\|---:\|---:\|---:\|---:\|/);
      assert.match(comment, /\| prod \| bulk \| added \| 40 \| 0 \| 0 \| 0 \|/);
      assert.match(comment, /\| staging \| web \| changed \| 0 \| 1 \| 0 \| 0 \|/);
      assert.equal(comment.match(/<details><summary>/g)?.length, 42);
      assert.equal(comment.match(/<\/details>/g)?.length, 42);
      assert.match(comment, /<summary>prod\/web: changed ConfigMap\/prod-ns\/web: \/data\/LOG_LEVEL<\/summary>\n\n```diff\n--- base\/ConfigMap\/prod-ns\/web\n\+\+\+ head\/ConfigMap\/prod-ns\/web\n/);
      assert.doesNotMatch(comment, /left out/);

      const capped = captureIO();
      assert.equal(await runPreview(['--repo', repo.root, '--base', 'main', '--head', 'bulk', '--format', 'markdown', '--max-chars', '6000'], capped), 1);
      const short = capped.out();
      assert.ok(short.length <= 6000, `${short.length} characters`);
      assert.ok(short.startsWith(comment.slice(0, comment.indexOf('<details>'))), 'the summary is kept whole');
      const shown = short.match(/<details><summary>/g)?.length ?? 0;
      assert.ok(shown > 0 && shown < 42, `${shown} diffs shown`);
      assert.equal(short.match(/<\/details>/g)?.length, shown, 'no diff is cut in the middle');
      assert.match(short, new RegExp(`> ${42 - shown} more object diffs left out: the comment is capped at 6000 characters`));
    });

    it('shows that a key of a SOPS-encrypted Secret changed, decrypted in memory, never its value', async () => {
      const { identity, recipient } = await newAgeIdentity();
      const { repo, prod } = fleet();
      const secret = (value: string) => encryptText(
        `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-key\n  namespace: ${prod}\ntype: Opaque\nstringData:\n  key: ${value}\n  user: admin\n`,
        'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), cryptRules: { encrypted_regex: '^(data|stringData)$' } });
      repo.commit('secret', { 'environments/prod/secrets/api-key.enc.yaml': await secret('open-sesame') });
      branch(repo, 'rotate', { 'environments/prod/secrets/api-key.enc.yaml': await secret('new-sesame') });
      const saved = process.env.SOPS_AGE_KEY;
      process.env.SOPS_AGE_KEY = identity;
      try {
        const result = await previewOnce(repo.root, { base: 'main', head: 'rotate' });
        const object = objectOf(appOf(result, 'prod', 'secrets'), 'Secret', 'api-key');
        assert.equal(object.change, 'changed');
        assert.deepEqual(object.changedPaths, ['/data/key']);
        assert.deepEqual(object.base?.data, { key: '*** (before)', user: '***' });
        assert.deepEqual(object.head?.data, { key: '*** (after)', user: '***' });
        const io = captureIO();
        assert.equal(await runPreview(['--repo', repo.root, '--base', 'main', '--head', 'rotate', '--format', 'markdown'], io), 1);
        for (const text of [JSON.stringify(result), io.out()]) {
          for (const plain of ['open-sesame', 'new-sesame', 'admin']) {
            assert.ok(!text.includes(plain) && !text.includes(Buffer.from(plain).toString('base64')), `${plain} leaked`);
          }
        }
      } finally {
        if (saved === undefined) delete process.env.SOPS_AGE_KEY;
        else process.env.SOPS_AGE_KEY = saved;
      }
    });
  });

  describe('with the live cluster', () => {
    const info = testCluster();
    const client = testClient();

    /** Applies an app's objects as a Driftline sync would: its label and environment annotation on each. */
    async function applyOwned(objects: KubeObject[], app: string, environment: string): Promise<void> {
      for (const object of objects) {
        await client.serverSideApply({
          ...object,
          metadata: { ...object.metadata, labels: { ...object.metadata.labels, [DRIFTLINE_APP_LABEL]: app }, annotations: { [DRIFTLINE_ENV_ANNOTATION]: environment } },
        }, { dryRun: false, fieldManager: DRIFTLINE_FIELD_MANAGER, force: true });
      }
    }

    it('shows the owned live objects of an app the branch deletes as pruned, beside head vs live and today\'s drift', async () => {
      const prod = await freshNamespace('preview-prod');
      const staging = await freshNamespace('preview-staging');
      const { repo } = fleet(prod, staging);
      await applyOwned([
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'worker', namespace: prod }, data: { QUEUE: 'jobs' } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'worker', namespace: prod }, spec: { ports: [{ port: 80, protocol: 'TCP' }] } },
      ], 'worker', 'prod');
      // Drift already there: live says warn, both branches say info.
      await applyOwned([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: prod }, data: { LOG_LEVEL: 'warn' } }], 'web', 'prod');
      branch(repo, 'drop-worker', { 'environments/prod/worker/configmap.yaml': null, 'environments/prod/worker/service.yaml': null });
      const result = await previewOnce(repo.root, { base: 'main', head: 'drop-worker', live: true, context: info.adminContext });
      assert.equal(result.live, true);
      const worker = appOf(result, 'prod', 'worker');
      assert.equal(worker.change, 'removed');
      for (const kind of ['ConfigMap', 'Service']) {
        const object = objectOf(worker, kind, 'worker');
        assert.equal(object.change, 'pruned', `${kind}/worker`);
        assert.equal(object.liveVsBase?.status, 'Synced');
      }
      const web = objectOf(appOf(result, 'prod', 'web'), 'ConfigMap', 'web');
      assert.equal(web.change, 'unchanged', 'the branch does not change it');
      assert.equal(web.headVsLive?.status, 'OutOfSync');
      assert.equal(web.liveVsBase?.status, 'OutOfSync', 'the drift is already there at the base');
      const stagingWeb = objectOf(appOf(result, 'staging', 'web'), 'ConfigMap', 'web');
      assert.equal(stagingWeb.headVsLive?.status, 'Missing');
      // Without the cluster the same branch only removes them.
      const gitOnly = await previewOnce(repo.root, { base: 'main', head: 'drop-worker' });
      assert.deepEqual(appOf(gitOnly, 'prod', 'worker').objects.map((object) => object.change), ['removed', 'removed']);
    });

    it('compares the base of many apps rendered again with the cluster in one status, each beside the head', async () => {
      const prod = await freshNamespace('preview-prod');
      const { repo } = fleet(prod, await freshNamespace('preview-staging'));
      const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
      repo.commit('six apps', Object.fromEntries(names.map((name) => [`environments/prod/${name}/configmap.yaml`, configMap(name, { V: '1' }, prod)])));
      await applyOwned(names.slice(0, 3).map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: prod }, data: { V: '1' } })), 'x', 'prod');
      branch(repo, 'bump', Object.fromEntries(names.map((name) => [`environments/prod/${name}/configmap.yaml`, configMap(name, { V: '2' }, prod)])));
      const result = await previewOnce(repo.root, { base: 'main', head: 'bump', live: true, context: info.adminContext, env: 'prod' });
      assert.deepEqual(result.rendering, { apps: 8, renderedAgain: 6 });
      for (const [index, name] of names.entries()) {
        const object = objectOf(appOf(result, 'prod', name), 'ConfigMap', name);
        assert.equal(object.change, 'changed', name);
        assert.equal(object.liveVsBase?.status, index < 3 ? 'Synced' : 'Missing', name);
        assert.equal(object.headVsLive?.status, index < 3 ? 'OutOfSync' : 'Missing', name);
      }
      assert.equal(objectOf(appOf(result, 'prod', 'worker'), 'Service', 'worker').liveVsBase?.status, 'Missing', 'a reused app takes the head\'s comparison');
    });

    it('says what applying a change would do live: the changed field against the live object, exit 1 from the CLI', async () => {
      const prod = await freshNamespace('preview-prod');
      const staging = await freshNamespace('preview-staging');
      const { repo } = fleet(prod, staging);
      await applyOwned([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: prod }, data: { LOG_LEVEL: 'info' } }], 'web', 'prod');
      branch(repo, 'feature', { 'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'debug' }) });
      const io = captureIO();
      const code = await runPreview(['--repo', repo.root, '--kubeconfig', info.kubeconfig, '--context', info.adminContext,
        '--base', 'main', '--head', 'feature', '--live', '--env', 'prod', '--format', 'json'], io);
      assert.equal(code, 1, io.err());
      const result = JSON.parse(io.out()) as import('../../../src/core/preview/model').PreviewResult;
      assert.deepEqual(result.environments.map((environment) => environment.name), ['prod']);
      const web = objectOf(appOf(result, 'prod', 'web'), 'ConfigMap', 'web');
      assert.equal(web.change, 'changed');
      assert.equal(web.headVsLive?.status, 'OutOfSync');
      assert.deepEqual(web.headVsLive?.changedPaths, ['/data/LOG_LEVEL']);
      assert.equal(web.liveVsBase?.status, 'Synced');
      const markdown = captureIO();
      await runPreview(['--repo', repo.root, '--kubeconfig', info.kubeconfig, '--context', info.adminContext,
        '--base', 'main', '--head', 'feature', '--live', '--env', 'prod', '--format', 'markdown'], markdown);
      assert.match(markdown.out(), /live vs head: OutOfSync \(changed: \/data\/LOG\\_LEVEL\); live vs base \(drift today\): Synced/);
      assert.match(markdown.out(), /What applying it would change live:\n\n```diff\n--- live\/ConfigMap\/preview-prod-\w+\/web\n/);
    });
  });
});
