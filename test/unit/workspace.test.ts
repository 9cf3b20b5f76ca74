// The workspace's caches follow the repo: an app removed from it leaves the render cache at the next discovery.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { renderApps } from '../../src/core/render/renderApps';
import { Workspace } from '../../src/core/workspace';
import { removeTempRepos, writeRepo } from '../support/gitopsExamples';

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

describe('Workspace', () => {
  after(removeTempRepos);

  it('forgets the render of an app that is gone from the repo when it discovers again, and keeps the others', async () => {
    const root = await writeRepo({
      'environments/staging/web/configmap.yaml': configMap('web'),
      'environments/staging/db/configmap.yaml': configMap('db'),
    });
    const workspace = new Workspace({ repoRoot: root });
    const model = await workspace.discover();
    const apps = model.environments.flatMap((environment) => environment.apps);
    assert.deepEqual(apps.map((app) => app.name).sort(), ['db', 'web']);
    await renderApps(apps, workspace.renderOptionsFor(model));
    const db = apps.find((app) => app.name === 'db')!;
    const web = apps.find((app) => app.name === 'web')!;
    assert.ok(workspace.renderCache.getTrusted(db) && workspace.renderCache.getTrusted(web), 'both renders are cached');

    const removed = path.join(root, 'environments/staging/db/configmap.yaml');
    await fs.rm(path.dirname(removed), { recursive: true });
    workspace.filesChanged([removed]);
    const after = await workspace.discover();
    assert.deepEqual(after.environments.flatMap((environment) => environment.apps).map((app) => app.name), ['web']);
    assert.equal(workspace.renderCache.getTrusted(db), undefined, 'the removed app left the cache');
    assert.ok(workspace.renderCache.getTrusted(web), 'the app still in the repo keeps its render');
    assert.deepEqual([...workspace.renderCache.inputFiles()].filter((file) => file.includes(`${path.sep}db${path.sep}`)), [], 'its files are no render inputs any more');
  });
});
