import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readChangedFile, whyRediscover, type ChangedFile, type KnownRepo } from '../../../src/core/discovery/changeAffectsDiscovery';

const root = path.resolve('/repo');
const at = (relative: string) => path.join(root, relative);
const patch = at('environments/dev/web/patch.yaml');

function known(overrides: Partial<KnownRepo> = {}): KnownRepo {
  return {
    root, controllerFiles: [], chartDirs: [],
    renderInputs: new Set([patch, at('environments/dev/web/kustomization.yaml'), at('base/web/deployment.yaml'), at('charts/web/values.yaml')]),
    ...overrides,
  };
}

const edited = (file: string, namesControllers = false): ChangedFile => ({ path: file, isFile: true, namesControllers });

describe('which file changes can change discovery', () => {
  it('re-discovers for the file of a ConfigMap or Secret whose contents discovery put into an app (valuesFrom, substituteFrom)', () => {
    const values = at('apps/web/values-configmap.yaml');
    const repo = known({ sourceFiles: new Map([[values, 'valuesFrom of dev/web (ConfigMap apps/web-values)']]), renderInputs: new Set([values]) });
    assert.equal(whyRediscover(edited(values), repo), 'holds a source of valuesFrom of dev/web (ConfigMap apps/web-values)');
    assert.equal(whyRediscover(edited(patch), known({ sourceFiles: new Map([[values, 'valuesFrom of dev/web']]) })), undefined);
  });

  it('re-discovers for a file that now may define a ConfigMap or Secret discovery looked for and did not find', () => {
    const repo = known({ awaitedSources: [{ kind: 'ConfigMap', name: 'team-vars', reader: 'postBuild.substituteFrom of dev/app' }] });
    const withText = (text: string): ChangedFile => ({ ...edited(patch), text });
    assert.equal(whyRediscover(withText('kind: ConfigMap\nmetadata:\n  name: team-vars\n'), repo), 'may now define ConfigMap team-vars, a source of postBuild.substituteFrom of dev/app');
    assert.match(whyRediscover(withText('{kind: ConfigMap, metadata: {name: "team-vars"}}'), repo) ?? '', /may now define/);
    assert.equal(whyRediscover(withText('kind: ConfigMap\nmetadata:\n  name: team-vars-old\n'), repo), undefined, 'another name');
    assert.equal(whyRediscover(withText('kind: Secret\nmetadata:\n  name: team-vars\n'), repo), undefined, 'another kind');
  });

  it('keeps the model for an edit of a file an app was rendered from, in a repo without Flux or Argo CD', () => {
    assert.equal(whyRediscover(edited(patch), known()), undefined);
    assert.equal(whyRediscover(edited(at('base/web/deployment.yaml')), known()), undefined);
    assert.equal(whyRediscover(edited(at('environments/dev/web/kustomization.yaml')), known()), undefined);
  });

  it('re-discovers when .driftline.yaml changed', () => {
    assert.match(whyRediscover(edited(at('.driftline.yaml')), known({ renderInputs: new Set([at('.driftline.yaml')]) }))!, /\.driftline\.yaml/);
  });

  it('re-discovers when a file was deleted or the path is a folder', () => {
    assert.match(whyRediscover({ path: patch, isFile: false, namesControllers: false }, known())!, /deleted/);
  });

  it('re-discovers for a file no app was rendered from: created, or outside every app', () => {
    assert.match(whyRediscover(edited(at('environments/dev/api/kustomization.yaml')), known())!, /not a file the apps were rendered from/);
    assert.match(whyRediscover(edited(at('README.md')), known())!, /not a file the apps were rendered from/);
  });

  it('re-discovers when the file held Flux or Argo CD objects, even if it no longer names them', () => {
    const sync = at('clusters/dev/flux-system/gotk-sync.yaml');
    const repo = known({ controllerFiles: [sync], renderInputs: new Set([sync]) });
    assert.match(whyRediscover(edited(sync, false), repo)!, /held Flux or Argo CD objects/);
  });

  it('re-discovers when the file now names a Flux or Argo CD API group', () => {
    assert.match(whyRediscover(edited(patch, true), known())!, /now names a Flux or Argo CD API group/);
  });

  it('re-discovers for any file of an app-of-apps chart', () => {
    const repo = known({ controllerFiles: [at('charts/apps')], renderInputs: new Set([at('charts/apps/values.yaml')]) });
    assert.match(whyRediscover(edited(at('charts/apps/values.yaml')), repo)!, /held Flux or Argo CD objects/);
  });

  it('in a repo with Flux or Argo CD objects, re-discovers for kustomization and chart files but keeps it for other inputs', () => {
    const repo = known({ controllerFiles: [at('clusters/dev/apps.yaml')], chartDirs: [at('charts/web')] });
    assert.match(whyRediscover(edited(at('environments/dev/web/kustomization.yaml')), repo)!, /kustomization file/);
    assert.match(whyRediscover(edited(at('charts/web/values.yaml')), repo)!, /chart file/);
    assert.equal(whyRediscover(edited(patch), repo), undefined);
  });

  it('re-discovers when the model does not say which files hold Flux or Argo CD objects', () => {
    assert.match(whyRediscover(edited(patch), known({ controllerFiles: undefined }))!, /does not say/);
  });

  it('re-discovers for git metadata: the remotes name the repo', () => {
    assert.match(whyRediscover(edited(at('.git/config')), known())!, /git metadata/);
  });

  it('reads from disk whether the path is a file and names a controller group', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-change-'));
    try {
      const plain = path.join(dir, 'cm.yaml');
      const flux = path.join(dir, 'ks.yaml');
      await fs.writeFile(plain, 'apiVersion: v1\nkind: ConfigMap\n');
      await fs.writeFile(flux, 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n');
      const operator = path.join(dir, 'rset.yaml');
      await fs.writeFile(operator, 'apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\n');
      assert.deepEqual(await readChangedFile(plain), { path: plain, isFile: true, namesControllers: false, text: await fs.readFile(plain, 'utf8') });
      assert.deepEqual(await readChangedFile(flux), { path: flux, isFile: true, namesControllers: true, text: await fs.readFile(flux, 'utf8') });
      assert.deepEqual(await readChangedFile(operator), { path: operator, isFile: true, namesControllers: true, text: await fs.readFile(operator, 'utf8') });
      assert.deepEqual(await readChangedFile(path.join(dir, 'gone.yaml')), { path: path.join(dir, 'gone.yaml'), isFile: false, namesControllers: false });
      assert.equal((await readChangedFile(dir)).isFile, false);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
