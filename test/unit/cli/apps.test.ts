import assert from 'node:assert/strict';
import { runApps } from '../../../src/cli/apps';
import { examplePath } from '../../support/gitopsExamples';
import { describeWithShared } from '../../support/shared';
import { runCommand } from './listCommands';

describeWithShared('gitops-examples/flux2-kustomize-helm-example', 'driftline apps', () => {
  const repo = examplePath('flux2-kustomize-helm-example');

  it('lists the apps of one environment with renderer, path, origin and why an app is Unknown', async () => {
    const { code, stdout } = await runCommand(runApps, ['--repo', repo, '--env', 'staging']);
    assert.equal(code, 0);
    const rows = stdout.trimEnd().split('\n').map((line) => line.split(/\s{2,}/));
    assert.deepEqual(rows[0], ['ENVIRONMENT', 'APP', 'RENDERER', 'PATH', 'ORIGIN', 'NOTE']);
    assert.deepEqual(rows.slice(1).map((row) => row.slice(0, 5)), [
      ['staging', 'apps', 'kustomize', 'apps/staging', 'flux-kustomization'],
      ['staging', 'cert-manager', 'helm', 'infrastructure/controllers', 'flux-helmrelease'],
      ['staging', 'infra-configs', 'kustomize', 'infrastructure/configs', 'flux-kustomization'],
      ['staging', 'infra-controllers', 'kustomize', 'infrastructure/controllers', 'flux-kustomization'],
      ['staging', 'ingress-nginx', 'helm', 'infrastructure/controllers', 'flux-helmrelease'],
      ['staging', 'podinfo', 'helm', 'apps/base/podinfo', 'flux-helmrelease'],
    ]);
    // A HelmRelease of a HelmRepository in the repo is no longer Unknown: its chart is fetched when it renders.
    assert.deepEqual(rows.slice(1).filter((row) => (row[5] ?? '') !== ''), []);
  });

  it('prints JSON with --json: every app of every environment', async () => {
    const { code, stdout } = await runCommand(runApps, ['--repo', repo, '--json']);
    assert.equal(code, 0);
    const { apps } = JSON.parse(stdout);
    assert.equal(apps.length, 12);
    assert.deepEqual(apps[0], {
      environment: 'production', name: 'apps', renderer: 'kustomize', path: 'apps/production', origin: 'flux-kustomization',
      declaredAt: { file: `${repo}/clusters/production/apps.yaml`, line: 2 },
      controller: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'apps', namespace: 'flux-system' },
      // Added with the Flux tree: where the Kustomization sits (no parent: the cluster root applies it).
      flux: { dependsOn: ['flux-system/infra-configs'], suspend: false },
    });
  });

  it('exits 2 naming the known environments when --env matches none', async () => {
    const { code, stderr } = await runCommand(runApps, ['--repo', repo, '--env', 'qa']);
    assert.equal(code, 2);
    assert.match(stderr, /no environment "qa" in .* \(environments: production, staging\)/);
  });
});
