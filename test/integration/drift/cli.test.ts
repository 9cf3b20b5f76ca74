// The CLI bundle (dist/cli.js) against the test cluster: the acceptance check on a real Flux repo, the JSON
// shape scripts rely on, and `driftline diff` output.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { testClient, testCluster } from '../../support/cluster';
import { installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { applyApps, removeRepo, writeRepo } from './driftFixture';
import { describeWithShared, sharedPath } from '../../support/shared';

const execFileAsync = promisify(execFile);
const CLI = path.resolve(__dirname, '../../../../dist/cli.js');
const FLUX_EXAMPLE = sharedPath('gitops-examples/flux2-kustomize-helm-example');
const STATUSES = ['Synced', 'OutOfSync', 'Missing', 'Extra', 'Unknown'];

async function driftline(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, ...args], { maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('driftline status and diff (CLI bundle)', function () {
  this.timeout(120_000);
  const info = testCluster();

  before(() => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`);
  });

  describeWithShared('gitops-examples/flux2-kustomize-helm-example', 'on flux2-kustomize-helm-example', () => {
    let fluxRepo: string;

    before(async () => {
      await installGitOpsCrds(info);
      fluxRepo = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-flux-'));
      fs.cpSync(FLUX_EXAMPLE, fluxRepo, { recursive: true });
    });

    after(() => { if (fluxRepo) removeRepo(fluxRepo); });

    it('lists staging and production of flux2-kustomize-helm-example with their apps and a status each (acceptance)', async () => {
      const { code, stdout } = await driftline(['status', '--repo', fluxRepo, '--kubeconfig', info.kubeconfig, '--context', info.adminContext]);
      assert.ok([0, 1, 2].includes(code));
      for (const environment of ['staging', 'production']) {
        for (const app of ['apps', 'infra-controllers', 'infra-configs']) {
          assert.match(stdout, new RegExp(`^${environment}\\s+${app}\\s+(${STATUSES.join('|')})\\s+\\d+`, 'm'));
        }
      }
    });

    it('prints the documented JSON shape with --json', async () => {
      const { stdout } = await driftline(['status', '--repo', fluxRepo, '--kubeconfig', info.kubeconfig, '--context', info.adminContext, '--json']);
      const report = JSON.parse(stdout);
      assert.deepEqual(report.environments.map((environment: { name: string }) => environment.name).sort(), ['production', 'staging']);
      for (const environment of report.environments) {
        assert.equal(environment.context, info.adminContext);
        assert.ok(environment.apps.length >= 3);
        for (const app of environment.apps) {
          assert.equal(typeof app.name, 'string');
          assert.ok(STATUSES.includes(app.status), `${environment.name}/${app.name}: ${app.status}`);
          for (const resource of app.resources) {
            for (const field of ['apiVersion', 'kind', 'name', 'status']) assert.equal(typeof resource[field], 'string', `${field} of ${JSON.stringify(resource)}`);
            assert.ok(STATUSES.includes(resource.status));
            assert.ok(!('live' in resource) && !('desired' in resource), `no live or desired objects in JSON: ${Object.keys(resource).join(', ')}`);
          }
        }
      }
      const configs = report.environments[0].apps.find((app: { name: string }) => app.name === 'infra-configs');
      assert.match(configs.resources[0].reason, /no kind ClusterIssuer in group cert-manager.io/);
    });
  });

  it('exits 2 with a message naming the option for an unknown option', async () => {
    const { code, stderr } = await driftline(['status', '--colour']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown option --colour/);
  });

  it('exits 2 naming the folder when the repository does not exist', async () => {
    const { code, stderr } = await driftline(['status', '--repo', '/nonexistent/fleet', '--kubeconfig', info.kubeconfig]);
    assert.equal(code, 2);
    assert.match(stderr, /repository \/nonexistent\/fleet is not a directory/);
  });

  it('exits 2 explaining where environments come from when the repo has none', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-empty-'));
    try {
      const { code, stdout } = await driftline(['status', '--repo', empty, '--kubeconfig', info.kubeconfig]);
      assert.equal(code, 2);
      assert.match(stdout, /no environments found in .*: no Flux Kustomization, Argo CD Application or \.driftline\.yaml, and no folder layout matched \(tried clusters\|environments\|envs\/<env>\/<app>, .*\)\. Declare the environments and apps in a \.driftline\.yaml/);
    } finally {
      removeRepo(empty);
    }
  });

  describe('diff', () => {
    let root: string;
    let namespace: string;

    before(async () => {
      namespace = await freshNamespace('cli-diff');
      root = writeRepo([{ name: 'test', context: info.adminContext }], [{
        name: 'web', environments: ['test'], namespace, files: {
          'objects.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {color: blue}\n---\n' +
            'apiVersion: v1\nkind: Secret\nmetadata: {name: web-token}\nstringData: {token: hunter2}\n',
        },
      }]);
      await applyApps(root, 'test', testClient());
    });

    after(() => removeRepo(root));

    it('prints nothing and exits 0 when everything is in sync', async () => {
      const { code, stdout } = await driftline(['diff', '--repo', root, '--kubeconfig', info.kubeconfig]);
      assert.equal(stdout, '');
      assert.equal(code, 0);
    });

    it('prints a unified diff per drifted object, Secret values masked, and exits 1', async () => {
      const client = testClient();
      await client.mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'web-config' }, { data: { color: 'red' } });
      await client.mergePatch({ apiVersion: 'v1', kind: 'Secret', namespace, name: 'web-token' }, { stringData: { token: 'swordfish' } });
      const { code, stdout } = await driftline(['diff', '--repo', root, '--kubeconfig', info.kubeconfig]);
      assert.equal(code, 1);
      assert.match(stdout, new RegExp(`^--- live/ConfigMap/${namespace}/web-config\\n\\+\\+\\+ git/ConfigMap/${namespace}/web-config`, 'm'));
      assert.match(stdout, /^- {2}color: red\n\+ {2}color: blue$/m);
      assert.match(stdout, /^- {2}token: "\*\*\* \(before\)"\n\+ {2}token: "\*\*\* \(after\)"$/m);
      for (const value of ['hunter2', 'swordfish']) {
        assert.ok(!stdout.includes(value) && !stdout.includes(Buffer.from(value).toString('base64')), `${value} leaked`);
      }
    });
  });
});
