import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

const THIS_REPO = 'https://github.com/acme/gitops.git';

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim();
}

function application(name: string, revision: string): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n` +
    `  source:\n    repoURL: ${THIS_REPO}\n    path: web\n    targetRevision: ${revision}\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n`;
}

describe('Argo CD targetRevision', () => {
  after(removeTempRepos);

  it('an Application of this repo at another revision than the checkout says so (revisionNote) and still renders; HEAD, the branch, the checked-out commit do not', async () => {
    const root = await writeRepo({
      'web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
    });
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'remote', 'add', 'origin', THIS_REPO);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'one');
    git(root, 'tag', 'v1.2.0');
    const tagged = git(root, 'rev-parse', 'HEAD');
    await fs.writeFile(path.join(root, 'web/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata: {a: b}\n');
    git(root, 'commit', '-q', '-am', 'two');
    const head = git(root, 'rev-parse', 'HEAD');
    await fs.mkdir(path.join(root, 'argocd'));
    await fs.writeFile(path.join(root, 'argocd/apps.yaml'), [
      application('tagged', 'v1.2.0'), application('head', 'HEAD'), application('branch', 'main'),
      application('commit', head), application('missing', 'release-9'),
    ].join('---\n'));
    const model = await discoverRepo(root);
    const apps = Object.fromEntries(model.environments.flatMap((environment) => environment.apps).map((app) => [app.name, app]));
    assert.equal(apps.tagged.revisionNote, `Argo CD deploys v1.2.0 (${tagged.slice(0, 7)}); compared at the working tree`);
    assert.equal(apps.tagged.unknownReason, undefined);
    assert.equal(apps.tagged.renderer, 'yaml');
    assert.equal(apps.missing.revisionNote, 'Argo CD deploys release-9 (not in the local clone); compared at the working tree');
    for (const name of ['head', 'branch', 'commit']) assert.equal(apps[name].revisionNote, undefined, name);
  });
});
