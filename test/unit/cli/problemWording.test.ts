// Discovery problems as the CLI prints them (real kustomize, real files): one `file:line: message` each, the
// file named once, never `file:19: file:19:` (a message that names its own place would be written twice).
import assert from 'node:assert/strict';
import path from 'node:path';
import { stringify } from 'yaml';
import { runApps } from '../../../src/cli/apps';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { runCommand } from './listCommands';

const ks = (name: string, specPath: string) => stringify({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' },
  spec: { interval: '10m', prune: true, path: specPath, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
});

describe('driftline apps: the wording of discovery problems', () => {
  after(removeTempRepos);

  it('prints each problem once as warning: file:line: message, with no second file:line inside the message', async () => {
    const root = await writeRepo({
      'clusters/dev/apps.yaml': ks('apps', './apps'),
      'clusters/dev/nested.yaml': ks('nested', './nested'),
      // A Kustomization file that is not YAML, a kustomization naming a missing file, a ResourceSet that does not render.
      'clusters/dev/broken.yaml': `${ks('broken', './broken')}spec: [unclosed\n`,
      'apps/kustomization.yaml': 'resources: [sets.yaml]\n',
      'nested/kustomization.yaml': 'resources: [missing.yaml]\n',
      'apps/sets.yaml': stringify({
        apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet', metadata: { name: 'teams', namespace: 'flux-system' },
        spec: { inputs: [{ team: 'a' }], resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '<< inputs.tem >>' } }] },
      }),
    });
    const { stderr } = await runCommand(runApps, ['--repo', root]);
    const warnings = stderr.trimEnd().split('\n').filter((line) => line.startsWith('warning: '));
    assert.ok(warnings.length >= 2, stderr);
    for (const warning of warnings) {
      const match = /^warning: (\/[^:]+?)(?::(\d+))?: (.*)$/.exec(warning);
      assert.ok(match, `not "warning: file[:line]: message": ${warning}`);
      const [, file, line, message] = match;
      assert.ok(file.startsWith(root), warning);
      assert.ok(!message.includes(`${path.relative(root, file)}:${line ?? ''}:`) && !message.startsWith(file), `the place is written twice: ${warning}`);
    }
    assert.ok(warnings.some((warning) => warning.startsWith(`warning: ${path.join(root, 'clusters/dev/broken.yaml')}:`)), stderr);
    assert.ok(warnings.some((warning) => warning.startsWith(`warning: ${path.join(root, 'apps/sets.yaml')}:1: ResourceSet flux-system/teams does not expand`)), stderr);
  });
});
