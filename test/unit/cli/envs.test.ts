import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runEnvs } from '../../../src/cli/envs';
import { copyExample, examplePath, removeTempRepos } from '../../support/gitopsExamples';
import { itWithShared } from '../../support/shared';
import { runCommand } from './listCommands';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: c
    cluster: { server: https://127.0.0.1:1 }
users:
  - name: u
    user: { token: t }
contexts:
  - name: kind-staging
    context: { cluster: c, user: u }
  - name: ops
    context: { cluster: c, user: u }
current-context: ops
`;

describe('driftline envs', () => {
  let savedKubeconfig: string | undefined;
  let kubeconfigDir: string;
  before(async () => {
    savedKubeconfig = process.env.KUBECONFIG;
    kubeconfigDir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-kubeconfig-'));
    process.env.KUBECONFIG = path.join(kubeconfigDir, 'config');
    await fs.writeFile(process.env.KUBECONFIG, KUBECONFIG);
  });
  after(async () => {
    if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = savedKubeconfig;
    await fs.rm(kubeconfigDir, { recursive: true, force: true });
    await removeTempRepos();
  });

  itWithShared('gitops-examples/flux2-kustomize-helm-example', 'lists each environment with the context it resolves to, protection and app count', async () => {
    const repo = await copyExample('flux2-kustomize-helm-example');
    await fs.writeFile(path.join(repo, '.driftline.yaml'), 'environments:\n  - name: production\n    protected: true\n');
    const { code, stdout, stderr } = await runCommand(runEnvs, ['--repo', repo]);
    assert.equal(code, 0);
    assert.equal(stderr, '');
    assert.deepEqual(stdout.trimEnd().split('\n').map((line) => line.split(/\s{2,}/)), [
      ['ENVIRONMENT', 'CONTEXT', 'PROTECTED', 'APPS'],
      ['production', 'ops', 'yes', '6'],
      ['staging', 'kind-staging', 'no', '6'],
    ]);
  });

  itWithShared('gitops-examples/flux2-kustomize-helm-example-artifacts', 'prints JSON with --json', async () => {
    const { code, stdout } = await runCommand(runEnvs, [`--repo=${examplePath('flux2-kustomize-helm-example-artifacts')}`, '--json']);
    assert.equal(code, 0);
    const parsed = JSON.parse(stdout);
    assert.deepEqual(parsed.environments, [
      { name: 'production', context: 'ops', protected: false, apps: 6 },
      { name: 'staging', context: 'kind-staging', protected: false, apps: 6 },
    ]);
    assert.deepEqual(parsed.problems, []);
  });

  itWithShared('gitops-examples/flux2-kustomize-helm-example', 'prints .driftline.yaml problems on stderr with file and line, and still lists', async () => {
    const repo = await copyExample('flux2-kustomize-helm-example');
    await fs.writeFile(path.join(repo, '.driftline.yaml'), 'environments:\n  - name: staging\n    protected: maybe\n');
    const { code, stdout, stderr } = await runCommand(runEnvs, ['--repo', repo]);
    assert.equal(code, 0);
    assert.equal(stderr, `warning: ${path.join(repo, '.driftline.yaml')}:3: environments[0].protected: expected true or false\n`);
    assert.match(stdout, /^staging\s+kind-staging\s+no\s+6$/m);
  });

  it('exits 2 naming the problem for an unknown flag or a missing repo folder', async () => {
    const unknown = await runCommand(runEnvs, ['--colour']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown argument "--colour"\nusage: driftline envs/);
    const missing = await runCommand(runEnvs, ['--repo', '/no/such/repo']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'driftline envs: /no/such/repo is not a directory\n');
  });
});
