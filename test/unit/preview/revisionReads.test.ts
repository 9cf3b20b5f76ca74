// The base revision seen from the working tree's folder, on a real git repository: what a checkout of the
// revision would hold at each path, without checking it out.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openRepo } from '../../../src/core/git/repo';
import { RevisionReads } from '../../../src/core/preview/revisionReads';
import { collectInputs, hashInputs } from '../../../src/core/render/collectInputs';
import type { AppDefinition } from '../../../src/core/model';
import { makeGitFixture, type GitFixture } from '../../integration/git/gitFixture';

describe('core/preview RevisionReads', () => {
  let repo: GitFixture;
  let base: string;
  beforeEach(() => {
    repo = makeGitFixture();
    base = repo.commit('base', {
      'app/kustomization.yaml': 'resources:\n  - configmap.yaml\n  - service.yaml\n',
      'app/configmap.yaml': 'kind: ConfigMap\ndata:\n  LEVEL: info\n',
      'app/service.yaml': 'kind: Service\n',
      'other/readme.yaml': 'a: 1\n',
    });
  });
  afterEach(() => repo.cleanup());

  /** The working tree moved on: one file edited, one deleted, one untracked file added. */
  function editWorkingTree(): string[] {
    repo.write('app/configmap.yaml', 'kind: ConfigMap\ndata:\n  LEVEL: debug\n');
    fs.rmSync(path.join(repo.root, 'app/service.yaml'));
    repo.write('app/extra.yaml', 'kind: Extra\n');
    return ['app/configmap.yaml', 'app/service.yaml', 'app/extra.yaml'];
  }

  it('reads changed files as the revision has them, unchanged ones from disk, and nothing the revision lacks', async () => {
    const reads = (await RevisionReads.of(await openRepo(repo.root), base, editWorkingTree(), repo.root))!;
    assert.equal(await reads.readText(path.join(repo.root, 'app/configmap.yaml')), 'kind: ConfigMap\ndata:\n  LEVEL: info\n');
    assert.equal(await reads.readText(path.join(repo.root, 'app/service.yaml')), 'kind: Service\n', 'deleted in the working tree, still at the revision');
    assert.equal(await reads.readText(path.join(repo.root, 'app/kustomization.yaml')), repo.read('app/kustomization.yaml'));
    await assert.rejects(reads.read(path.join(repo.root, 'app/extra.yaml')), /ENOENT: no such file at the revision: .*app\/extra\.yaml/);
    assert.equal((await reads.stat(path.join(repo.root, 'app/service.yaml')))?.isFile(), true);
    assert.equal((await reads.stat(path.join(repo.root, 'app')))?.isDirectory(), true);
    assert.equal(await reads.stat(path.join(repo.root, 'app/extra.yaml')), undefined);
    assert.deepEqual(await reads.filesIn(path.join(repo.root, 'app')), ['configmap.yaml', 'kustomization.yaml', 'service.yaml'].map((file) => path.join(repo.root, 'app', file)));
  });

  it('gives an app the input hash a checkout of the revision gives it', async () => {
    const app: AppDefinition = { name: 'app', environment: 'prod', path: path.join(repo.root, 'app'), renderer: 'kustomize', declaredAt: { file: path.join(repo.root, 'app') } } as AppDefinition;
    const atBase = await hashInputs(app, await collectInputs(app));
    const reads = (await RevisionReads.of(await openRepo(repo.root), base, editWorkingTree(), repo.root))!;
    assert.equal(await hashInputs(app, await collectInputs(app, reads), reads), atBase);
    assert.notEqual(await hashInputs(app, await collectInputs(app)), atBase, 'the working tree itself hashes otherwise');
  });

  it('reads paths outside the repository from disk', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'values.yaml'), 'x: 1\n');
      const reads = (await RevisionReads.of(await openRepo(repo.root), base, [], repo.root))!;
      assert.equal(await reads.readText(path.join(outside, 'values.yaml')), 'x: 1\n');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('declines a revision holding a symbolic link (only a checkout says what a tool reads through it)', async () => {
    fs.symlinkSync('configmap.yaml', path.join(repo.root, 'app/link.yaml'));
    repo.git('add', 'app/link.yaml');
    const withLink = repo.commit('link', {});
    assert.equal(await RevisionReads.of(await openRepo(repo.root), withLink, [], repo.root), undefined);
  });
});
