// A KUBECONFIG that is there but malformed: the CLI says which file and why, never "no cluster" in silence.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runEnvs } from '../../../src/cli/envs';
import { runStatus } from '../../../src/cli/status';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { runCommand } from './listCommands';

describe('the CLI with a malformed KUBECONFIG', () => {
  let savedKubeconfig: string | undefined;
  let dir: string;
  let kubeconfig: string;
  let repo: string;
  before(async () => {
    savedKubeconfig = process.env.KUBECONFIG;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-broken-kubeconfig-'));
    kubeconfig = path.join(dir, 'config');
    await fs.writeFile(kubeconfig, 'apiVersion: v1\nclusters: [\n');
    process.env.KUBECONFIG = kubeconfig;
    repo = await writeRepo({ 'environments/dev/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n' });
  });
  after(async () => {
    if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = savedKubeconfig;
    await fs.rm(dir, { recursive: true, force: true });
    await removeTempRepos();
  });

  it('driftline status exits 2 and names the file and the parse error', async () => {
    const { code, stdout } = await runCommand(runStatus, ['--repo', repo]);
    assert.equal(code, 2);
    assert.match(stdout, /^dev\s+web\s+Unknown/m);
    assert.ok(stdout.includes(`dev: malformed kubeconfig ${kubeconfig}: unexpected end of the stream within a flow collection (3:1)`), stdout);
  });

  it('driftline envs warns naming the file and the parse error', async () => {
    const { code, stdout, stderr } = await runCommand(runEnvs, ['--repo', repo]);
    assert.equal(code, 0);
    assert.match(stdout, /^dev\s+-\s+no\s+1$/m);
    assert.equal(stderr, `warning: malformed kubeconfig ${kubeconfig}: unexpected end of the stream within a flow collection (3:1): ` +
      'only contexts that .driftline.yaml names are shown\n');
  });
});
