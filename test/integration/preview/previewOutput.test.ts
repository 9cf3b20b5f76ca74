// What `driftline preview` prints with its noise controls (--skip-secrets, --skip-crds) and as an HTML page, on
// real branches rendered by real kustomize and compared with the real API server; and a pull request's head
// that only the remote has (refs/pull/12/head on a bare file:// remote), fetched without touching the checkout.
import * as assert from 'node:assert/strict';
import { main } from '../../../src/cli/main';
import { DRIFTLINE_APP_LABEL, DRIFTLINE_ENV_ANNOTATION, DRIFTLINE_FIELD_MANAGER, type KubeObject } from '../../../src/core/model';
import type { PreviewResult } from '../../../src/core/preview/model';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { captureIO } from '../drift/captureIO';
import { snapshotRepo } from '../git/gitFixture';
import { appOf, branch, configMap, makeFleet, objectOf, type Fleet } from './previewFixture';

function secret(name: string, namespace: string, token: string): string {
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ntype: Opaque\nstringData:\n  token: ${token}\n`;
}

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.preview.driftline.dev
spec:
  group: preview.driftline.dev
  names: { kind: Widget, plural: widgets, singular: widget }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;

/** `driftline preview ...` as a user runs it, in process: exit status and what it printed. */
async function preview(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO();
  const code = await main(['preview', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('branch preview output: --skip-secrets, --skip-crds, --format html, pull request refs', function () {
  this.timeout(120_000);
  const info = testCluster();
  const client = testClient();
  const fleets: Fleet[] = [];
  const fleet = (prod?: string, staging?: string): Fleet => {
    const made = makeFleet(prod, staging);
    fleets.push(made);
    return made;
  };
  after(() => { for (const made of fleets) made.repo.cleanup(); });
  const live = () => ['--kubeconfig', info.kubeconfig, '--context', info.adminContext, '--live'];

  async function applyOwned(objects: KubeObject[], app: string, environment: string): Promise<void> {
    for (const object of objects) {
      await client.serverSideApply({
        ...object,
        metadata: { ...object.metadata, labels: { ...object.metadata.labels, [DRIFTLINE_APP_LABEL]: app }, annotations: { [DRIFTLINE_ENV_ANNOTATION]: environment } },
      }, { dryRun: false, fieldManager: DRIFTLINE_FIELD_MANAGER, force: true });
    }
  }

  it('--skip-secrets leaves a rotated Secret out of the summary, the diffs and the live comparison, and keeps the rest', async () => {
    const prod = await freshNamespace('preview-prod');
    const { repo } = fleet(prod, await freshNamespace('preview-staging'));
    repo.commit('worker token', { 'environments/prod/worker/secret.yaml': secret('worker-token', prod, 'first-token') });
    await applyOwned([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'worker-token', namespace: prod }, type: 'Opaque', stringData: { token: 'first-token' } }], 'worker', 'prod');
    branch(repo, 'rotate', {
      'environments/prod/worker/secret.yaml': secret('worker-token', prod, 'second-token'),
      'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'debug' }),
    });
    const args = ['--repo', repo.root, '--base', 'main', '--head', 'rotate', ...live(), '--env', 'prod'];

    const all = await preview(args);
    assert.equal(all.code, 1, all.err);
    assert.match(all.out, /2 apps change: 0 objects added, 2 changed, 0 removed, 0 pruned \(Git and the live cluster;/);
    assert.match(all.out, new RegExp(`^prod/worker: changed Secret/${prod}/worker-token: /data/token$`, 'm'));
    assert.match(all.out, /live vs head: OutOfSync \(changed: \/data\/token\); live vs base \(drift today\): Synced/);

    const skipped = await preview([...args, '--skip-secrets']);
    assert.equal(skipped.code, 1, skipped.err);
    assert.match(skipped.out, /1 app changes: 0 objects added, 1 changed, 0 removed, 0 pruned \(Git and the live cluster;/);
    assert.match(skipped.out, new RegExp(`^prod/web: changed ConfigMap/${prod}/web: /data/LOG_LEVEL$`, 'm'));
    assert.doesNotMatch(skipped.out, /Secret|worker-token|\bprod\s+worker\b/);
    for (const output of [all.out, skipped.out]) {
      for (const plain of ['first-token', 'second-token']) {
        assert.ok(!output.includes(plain) && !output.includes(Buffer.from(plain).toString('base64')), `${plain} leaked`);
      }
    }
  });

  it('--skip-crds leaves out a CustomResourceDefinition the branch adds: no change, exit 0', async () => {
    const { repo } = fleet();
    branch(repo, 'crd', { 'environments/prod/worker/widgets-crd.yaml': WIDGET_CRD });
    const args = ['--repo', repo.root, '--base', 'main', '--head', 'crd'];

    const all = await preview(args);
    assert.equal(all.code, 1, all.err);
    assert.match(all.out, /^prod\/worker: added CustomResourceDefinition\/widgets\.preview\.driftline\.dev$/m);
    assert.match(all.out, /^\+\+\+ head\/CustomResourceDefinition\/widgets\.preview\.driftline\.dev$/m);

    const skipped = await preview([...args, '--skip-crds']);
    assert.equal(skipped.code, 0, skipped.err);
    assert.match(skipped.out, /^No app changes \(Git only;/m);
    assert.doesNotMatch(skipped.out, /CustomResourceDefinition|widgets/);
    const json = await preview([...args, '--skip-crds', '--format', 'json']);
    const result = JSON.parse(json.out) as PreviewResult;
    assert.deepEqual(appOf(result, 'prod', 'worker').objects.map((object) => object.kind).sort(), ['ConfigMap', 'Service'], 'the app\'s other objects are still there');
  });

  it('--format html writes one page: the summary table, each changed object\'s diff escaped, and with --live what applying would change', async () => {
    const prod = await freshNamespace('preview-prod');
    const { repo } = fleet(prod, await freshNamespace('preview-staging'));
    await applyOwned([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: prod }, data: { LOG_LEVEL: 'info' } }], 'web', 'prod');
    branch(repo, 'html', { 'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: '<debug> & more' }) });

    const page = await preview(['--repo', repo.root, '--base', 'main', '--head', 'html', '--format', 'html']);
    assert.equal(page.code, 1, page.err);
    const html = page.out;
    assert.ok(html.startsWith('<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'), html.slice(0, 80));
    assert.match(html, /<title>Driftline preview: main \(\w{12}\) &lt;- html \(\w{12}\)<\/title>/);
    assert.match(html, /<p>2 apps change: 0 objects added, 2 changed, 0 removed, 0 pruned \(Git only; 2 of 3 base apps rendered again\)<\/p>/);
    assert.match(html, /<tr><td>prod<\/td><td>web<\/td><td>changed<\/td><td>0<\/td><td>1<\/td><td>0<\/td><td>0<\/td><td><\/td><\/tr>/);
    assert.match(html, /<tr><td>staging<\/td><td>web<\/td><td>changed<\/td>/);
    assert.equal(html.match(/<details><summary>/g)?.length, 2);
    assert.match(html, new RegExp(`<details><summary>prod/web: changed ConfigMap/${prod}/web: /data/LOG_LEVEL</summary>\n<pre>--- base/ConfigMap/${prod}/web\n\\+\\+\\+ head/ConfigMap/${prod}/web\n`));
    assert.match(html, /^- {2}LOG_LEVEL: info$/m);
    assert.match(html, /^\+ {2}LOG_LEVEL: ['"]?&lt;debug&gt; &amp; more['"]?$/m);
    assert.doesNotMatch(html, /<debug>| & more/, 'the value is escaped, never markup');
    assert.ok(html.trimEnd().endsWith('</body></html>'));

    const withLive = await preview(['--repo', repo.root, '--base', 'main', '--head', 'html', ...live(), '--env', 'prod', '--format', 'html']);
    assert.equal(withLive.code, 1, withLive.err);
    assert.match(withLive.out, /<p>live vs head: OutOfSync \(changed: \/data\/LOG_LEVEL\); live vs base \(drift today\): Synced<\/p>/);
    assert.match(withLive.out, new RegExp(`<p>What applying it would change live:</p><pre>--- live/ConfigMap/${prod}/web\n`));
  });

  describe('a pull request ref only the remote has', () => {
    /** A fleet whose main is on a bare file:// remote that also holds refs/pull/12/head; the clone does not. */
    function pullRequestFleet(): { made: Fleet; head: string } {
      const made = fleet();
      const { repo } = made;
      repo.git('remote', 'set-url', 'origin', `file://${repo.remote}`);
      repo.git('push', '--quiet', 'origin', 'main');
      const head = branch(repo, 'feature', { 'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'debug' }) });
      repo.git('push', '--quiet', 'origin', 'feature:refs/pull/12/head');
      repo.git('branch', '--quiet', '-D', 'feature');
      // main moves on after the pull request branched: the preview is of the merge.
      repo.commit('worker: batch queue', { 'environments/prod/worker/configmap.yaml': configMap('worker', { QUEUE: 'batch' }, 'prod-ns') });
      return { made, head };
    }

    it('fetches refs/pull/12/head from the remote and previews its merge into main, leaving refs and checkout as they were', async () => {
      const { made: { repo }, head } = pullRequestFleet();
      assert.throws(() => repo.git('rev-parse', '--verify', '--quiet', 'refs/pull/12/head'), 'the clone does not have the ref');
      const before = snapshotRepo(repo);
      const refs = repo.git('for-each-ref', '--format=%(refname) %(objectname)');
      const run = await preview(['--repo', repo.root, '--base', 'main', '--head', 'refs/pull/12/head', '--format', 'json']);
      assert.equal(run.code, 1, run.err);
      const result = JSON.parse(run.out) as PreviewResult;
      assert.deepEqual(result.head, { ref: 'refs/pull/12/head', commit: head, mergedInto: 'main' });
      assert.deepEqual(objectOf(appOf(result, 'prod', 'web'), 'ConfigMap', 'web').changedPaths, ['/data/LOG_LEVEL']);
      assert.equal(appOf(result, 'prod', 'worker').change, 'unchanged', 'main\'s own change is on both sides');
      assert.deepEqual(snapshotRepo(repo), before);
      assert.equal(repo.git('for-each-ref', '--format=%(refname) %(objectname)'), refs, 'no ref is left behind');
      assert.equal(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 1, 'no scratch worktree is left');
    });

    it('says which ref the remote lacks, naming the repository and the remote (exit 2)', async () => {
      const { made: { repo } } = pullRequestFleet();
      const run = await preview(['--repo', repo.root, '--base', 'main', '--head', 'refs/pull/13/head']);
      assert.equal(run.code, 2);
      assert.match(run.err, /^driftline preview: no branch, tag or commit "refs\/pull\/13\/head" in \S+, nor on remote origin \(file:\/\/\S+remote\.git\): fatal: couldn't find remote ref refs\/pull\/13\/head$/m);
      assert.equal(run.out, '');
    });
  });
});
