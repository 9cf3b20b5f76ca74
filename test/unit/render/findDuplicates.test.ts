import assert from 'node:assert/strict';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { findDuplicateObjects } from '../../../src/core/render/findDuplicates';
import { renderApps } from '../../../src/core/render/renderApps';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\n`;

describe('findDuplicateObjects', () => {
  after(removeTempRepos);

  it('reports an object two apps of one environment define, naming both apps, the object and both files', async () => {
    const root = await writeRepo({
      'envs/dev/web/settings.yaml': configMap('settings'),
      'envs/dev/api/cm.yaml': `${configMap('api')}---\n${configMap('settings')}`,
      'envs/prod/web/settings.yaml': configMap('settings'),
      'envs/prod/api/cm.yaml': configMap('api'),
    });
    const model = await discoverRepo(root);
    const rendered = await renderApps(model.environments.flatMap((environment) => environment.apps));
    const problems = findDuplicateObjects(rendered);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, path.join(root, 'envs/dev/web/settings.yaml'));
    assert.equal(problems[0].line, 1);
    assert.equal(problems[0].message,
      `ConfigMap/shop/settings is defined by two apps of environment dev: "api" (${path.join(root, 'envs/dev/api/cm.yaml')}:7) ` +
      `and "web" (${path.join(root, 'envs/dev/web/settings.yaml')}:1)`);
    assert.ok(rendered.every((result) => !result.error && result.objects.length > 0), 'both apps still render');
  });
});
