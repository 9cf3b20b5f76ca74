// The working tree as the editor shows it: unsaved buffers take the place of their files in a preview, and
// neither the files nor the checkout are written (issue 14, the VS Code default).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { snapshotRepo } from '../git/gitFixture';
import { appOf, configMap, makeFleet, objectOf, previewOnce, type Fleet } from './previewFixture';

describe('branch preview of unsaved buffers', function () {
  this.timeout(120_000);
  let fleet: Fleet;
  beforeEach(() => { fleet = makeFleet(); });
  afterEach(() => fleet.repo.cleanup());

  it('renders an unsaved buffer in place of its file, on top of uncommitted changes, writing nothing', async () => {
    const { repo } = fleet;
    const saved = path.join(repo.root, 'environments/prod/worker/service.yaml');
    await fs.writeFile(saved, (await fs.readFile(saved, 'utf8')).replace('port: 80', 'port: 8080'));
    const file = path.join(repo.root, 'base/web/configmap.yaml');
    const onDisk = await fs.readFile(file, 'utf8');
    const before = snapshotRepo(repo);
    const result = await previewOnce(repo.root, { base: 'HEAD', unsaved: new Map([[file, configMap('web', { LOG_LEVEL: 'trace' })]]) });
    assert.equal(result.head.ref, 'working tree with 1 unsaved file');
    assert.deepEqual([...result.changedFiles].sort(), ['base/web/configmap.yaml', 'environments/prod/worker/service.yaml']);
    for (const environment of ['prod', 'staging']) {
      const object = objectOf(appOf(result, environment, 'web'), 'ConfigMap', 'web');
      assert.equal(object.change, 'changed');
      assert.equal((object.head?.data as Record<string, string>).LOG_LEVEL, 'trace');
    }
    assert.deepEqual(objectOf(appOf(result, 'prod', 'worker'), 'Service', 'worker').changedPaths, ['/spec/ports/0/port'], 'the saved, uncommitted change is in the head too');
    assert.equal(await fs.readFile(file, 'utf8'), onDisk, 'the buffer was not written to its file');
    assert.deepEqual(snapshotRepo(repo), before, 'HEAD, index and working tree as they were');
  });

  it('ignores a buffer of a file outside the repository: the working tree on disk is previewed', async () => {
    const { repo } = fleet;
    const result = await previewOnce(repo.root, { base: 'HEAD', unsaved: new Map([[path.join(path.dirname(repo.root), 'elsewhere.yaml'), 'kind: x\n']]) });
    assert.equal(result.head.ref, 'working tree');
    assert.deepEqual(result.changedFiles, []);
  });
});
