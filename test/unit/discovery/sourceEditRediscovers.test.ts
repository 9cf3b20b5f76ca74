// Discovery puts the ConfigMaps and Secrets that postBuild.substituteFrom and valuesFrom read into the apps (as
// a build of the cluster emits them): editing one of those files re-discovers, so the apps render with the new
// values; an edit elsewhere in the same folder keeps the model (real kubectl kustomize, real files).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { renderApps } from '../../../src/core/render/renderApps';
import { Workspace } from '../../../src/core/workspace';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

const ks = (name: string, folder: string, spec: Record<string, unknown> = {}) => stringify({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' },
  spec: { interval: '10m', sourceRef: { kind: 'GitRepository', name: 'flux-system' }, path: folder, ...spec },
});
const configMap = (name: string, data: Record<string, string>) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

/** clusters/dev applies team/, which holds the `team-vars` ConfigMap and the app Kustomization substituting from it. */
function teamRepo(overrides: Record<string, string> = {}): Promise<string> {
  return writeRepo({
    'clusters/dev/flux-system/gotk-sync.yaml': [
      stringify({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'ssh://git@example.com/fleet' } }),
      ks('flux-system', './clusters/dev'),
    ].join('---\n'),
    'clusters/dev/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
    'clusters/dev/team.yaml': ks('team', './team'),
    'clusters/dev/kustomization.yaml': 'resources: [flux-system, team.yaml]\n',
    'team/kustomization.yaml': 'resources: [vars.yaml, notes.yaml, app.yaml]\n',
    'team/vars.yaml': configMap('team-vars', { LEVEL: 'info' }),
    'team/notes.yaml': configMap('team-notes', { owner: 'blue' }),
    'team/app.yaml': ks('app', './app', { postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'team-vars' }] } }),
    'app/kustomization.yaml': 'resources: [settings.yaml]\n',
    'app/settings.yaml': configMap('settings', { level: '${LEVEL}' }),
    ...overrides,
  });
}

describe('an edit to a substituteFrom source re-discovers', () => {
  after(removeTempRepos);

  it('editing the team ConfigMap an app substitutes from renders the app with the new value; editing its neighbour keeps the model', async () => {
    const root = await teamRepo();
    const logs: string[] = [];
    const workspace = new Workspace({ repoRoot: root, log: (message: string) => logs.push(message) });
    const levelOf = async () => {
      const model = await workspace.discover();
      // Every app rendered: what a refresh reads is what a later edit is weighed against.
      const rendered = await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model));
      assert.deepEqual(rendered.map((app) => app.error), [undefined, undefined]);
      const settings = rendered.flatMap((app) => app.objects).find(({ object }) => object.metadata.name === 'settings')?.object;
      return { model, level: (settings?.data as Record<string, string> | undefined)?.level };
    };
    const first = await levelOf();
    assert.equal(first.level, 'info');

    const notes = path.join(root, 'team/notes.yaml');
    await fs.writeFile(notes, configMap('team-notes', { owner: 'green' }));
    workspace.filesChanged([notes]);
    const kept = await levelOf();
    assert.equal(kept.model, first.model, 'a ConfigMap nothing substitutes from changes no app definition');

    const vars = path.join(root, 'team/vars.yaml');
    await fs.writeFile(vars, configMap('team-vars', { LEVEL: 'debug' }));
    workspace.filesChanged([vars]);
    const edited = await levelOf();
    assert.notEqual(edited.model, first.model);
    assert.equal(edited.level, 'debug');
    assert.ok(logs.some((line) => line.includes(`${vars}: holds a source of postBuild.substituteFrom of dev/app (ConfigMap flux-system/team-vars)`)), logs.join('\n'));
  });

  it('a source not found in the builds, then added to a file the apps were already rendered from, re-discovers: the app gets its values', async () => {
    const root = await teamRepo({ 'team/kustomization.yaml': 'resources: [notes.yaml, app.yaml]\n' });
    const logs: string[] = [];
    const workspace = new Workspace({ repoRoot: root, log: (message: string) => logs.push(message) });
    const renderAll = async () => {
      const model = await workspace.discover();
      const rendered = await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model));
      return { model, rendered };
    };
    const first = await renderAll();
    const app = first.model.environments[0].apps.find((candidate) => candidate.name === 'app');
    assert.equal(app?.substitute?.from[0].built, undefined, 'team-vars is in no build yet: it would be read live');

    const notes = path.join(root, 'team/notes.yaml');
    await fs.writeFile(notes, [configMap('team-notes', { owner: 'blue' }), configMap('team-vars', { LEVEL: 'warn' })].join('---\n'));
    workspace.filesChanged([notes]);
    const edited = await renderAll();
    assert.notEqual(edited.model, first.model, 'the model is discovered again');
    const settings = edited.rendered.flatMap((rendered) => rendered.objects).find(({ object }) => object.metadata.name === 'settings')?.object;
    assert.equal((settings?.data as Record<string, string> | undefined)?.level, 'warn');
    assert.ok(logs.some((line) => line.includes(`${notes}: may now define ConfigMap team-vars, a source of postBuild.substituteFrom of dev/app (ConfigMap flux-system/team-vars)`)), logs.join('\n'));
  });
});
