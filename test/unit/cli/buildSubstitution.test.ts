// `driftline build` of Flux apps with postBuild.substituteFrom: values from a Secret of the build output are
// masked in the fields they fill unless --reveal; sources no build emits are named, their variables as written.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { runBuild } from '../../../src/cli/build';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { runCommand } from './listCommands';

const kustomization = (name: string, substituteFrom: { kind: string; name: string }[]) => stringify({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' },
  spec: { interval: '10m', path: `./${name}`, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, postBuild: { substituteFrom } },
});
const configMap = (name: string, data: Record<string, string>) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('driftline build with postBuild.substituteFrom', function () {
  this.timeout(30_000);
  let repo: string;
  before(async () => {
    repo = await writeRepo({
      'clusters/dev/vars.yaml': stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vars', namespace: 'flux-system' }, stringData: { TOKEN: 'build-test-token' } }),
      'clusters/dev/secret.yaml': kustomization('secret', [{ kind: 'Secret', name: 'vars' }]),
      'clusters/dev/live.yaml': kustomization('live', [{ kind: 'ConfigMap', name: 'live-vars' }]),
      'secret/cm.yaml': configMap('settings', { token: 'Bearer ${TOKEN}', plain: 'x' }),
      'live/cm.yaml': configMap('settings', { region: '${REGION}' }),
    });
  });
  after(removeTempRepos);

  it('masks a field filled from a Secret unless --reveal', async () => {
    const masked = await runCommand(runBuild, ['--repo', repo, '--app', 'secret']);
    assert.equal(masked.code, 0, masked.stderr);
    assert.match(masked.stdout, /plain: x\n\s+token: "\*\*\*"/);
    assert.doesNotMatch(masked.stdout, /build-test-token/);
    const revealed = await runCommand(runBuild, ['--repo', repo, '--app', 'secret', '--reveal']);
    assert.match(revealed.stdout, /token: Bearer build-test-token/);
  });

  it('names the sources read from the cluster and prints their variables as written', async () => {
    const { code, stdout, stderr } = await runCommand(runBuild, ['--repo', repo, '--app', 'live']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /region: \$\{REGION\}/);
    assert.match(stderr, /^note: postBuild.substituteFrom ConfigMap flux-system\/live-vars: not in the build output, read from the cluster when comparing/m);
  });
});
