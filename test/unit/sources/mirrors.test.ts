// Source mirrors (`.driftline.yaml` sources.mirrors): the longest matching prefix rewrites a source's URL before
// it is fetched; through the workspace, a HelmRelease of an unreachable chart repository and a Kustomization of
// an unreachable Git host render from loopback mirrors, with the mirror's own login (the original host's is never
// sent there), and the render says which mirror served it.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RenderedApp } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';
import { mirroredURL } from '../../../src/core/sources/mirrors';
import { parseConfig } from '../../../src/core/discovery/loadConfig';
import { Workspace } from '../../../src/core/workspace';
import { indexFolder, packageChart, serveFolder, tempFolder, type ChartServer } from '../../support/chartRepository';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { git, makeRemote, serveGit, type GitServer } from '../../support/gitServer';

describe('source mirrors', function () {
  this.timeout(120_000);

  describe('rewriting URLs', () => {
    const mirrors = {
      'https://charts.example.com': 'http://mirror.local/all',
      'https://charts.example.com/stable': 'http://mirror.local/stable-only',
      'oci://ghcr.io/org': 'oci://registry.local:5000/ghcr-org',
    };

    it('takes the longest prefix that matches at a path boundary', () => {
      assert.deepEqual(mirroredURL('https://charts.example.com/stable/podinfo', mirrors), { url: 'http://mirror.local/stable-only/podinfo', mirror: 'http://mirror.local/stable-only' });
      assert.deepEqual(mirroredURL('https://charts.example.com/beta', mirrors), { url: 'http://mirror.local/all/beta', mirror: 'http://mirror.local/all' });
      assert.deepEqual(mirroredURL('https://charts.example.com/stable-old', mirrors), { url: 'http://mirror.local/all/stable-old', mirror: 'http://mirror.local/all' });
      assert.deepEqual(mirroredURL('oci://ghcr.io/org/charts', mirrors), { url: 'oci://registry.local:5000/ghcr-org/charts', mirror: 'oci://registry.local:5000/ghcr-org' });
      assert.deepEqual(mirroredURL('oci://ghcr.io/organisation', mirrors), { url: 'oci://ghcr.io/organisation' });
    });

    it('drops a login written into the original URL', () => {
      assert.equal(mirroredURL('https://me:secret@charts.example.com/stable', mirrors).url, 'http://mirror.local/stable-only');
    });
  });

  describe('.driftline.yaml sources.mirrors', () => {
    const parse = (text: string) => parseConfig(text, '/repo/.driftline.yaml', '/repo');

    it('reads URL prefix -> mirror prefix', () => {
      const { config, problems } = parse('sources:\n  mirrors:\n    https://charts.example.com: https://mirror.local/charts\n    git@github.com:org: ssh://git@gitea.local/org\n');
      assert.deepEqual(problems, []);
      assert.deepEqual(config.mirrors, { 'https://charts.example.com': 'https://mirror.local/charts', 'git@github.com:org': 'ssh://git@gitea.local/org' });
    });

    it('names the file and line of an entry that cannot be used, and keeps the others', () => {
      const { config, problems } = parse('sources:\n  mirrors:\n    oci://ghcr.io/org: https://mirror.local/charts\n    https://a.example: ""\n    https://b.example: https://mirror.local/b\n  mirror: {}\n');
      assert.deepEqual(config.mirrors, { 'https://b.example': 'https://mirror.local/b' });
      assert.deepEqual(problems.map((problem) => [problem.line, problem.message]), [
        [6, 'sources.mirror: unknown key "mirror" (expected one of: mirrors)'],
        [3, 'sources.mirrors.oci://ghcr.io/org: https://mirror.local/charts cannot mirror oci://ghcr.io/org: an oci:// registry is mirrored by an oci:// registry only'],
        [4, 'sources.mirrors.https://a.example: expected a non-empty string'],
      ]);
      assert.ok(problems.every((problem) => problem.file === '/repo/.driftline.yaml'));
    });
  });

  describe('through the workspace', () => {
    let charts: string;
    let mirror: ChartServer;
    let cacheRoot: string;
    let home: string;
    let base: string;
    let gitServer: GitServer;

    before(async () => {
      charts = await tempFolder('driftline-mirror-charts-');
      await packageChart(charts, 'podinfo', '6.5.4');
      indexFolder(charts);
      mirror = await serveFolder(charts, { basicAuth: 'mirror-user:mirror-pass' });
      cacheRoot = await tempFolder('driftline-mirror-cache-');
      home = await tempFolder('driftline-mirror-home-');
      await fs.mkdir(path.join(home, '.config', 'helm'), { recursive: true });
      await fs.writeFile(path.join(home, '.config', 'helm', 'repositories.yaml'), [
        'apiVersion: ""', 'repositories:',
        '- name: upstream', '  url: https://charts.example.invalid/stable', '  username: upstream-user', '  password: upstream-pass',
        '- name: mirror', `  url: ${mirror.url}/stable`, '  username: mirror-user', '  password: mirror-pass', '',
      ].join('\n'));
      await fs.mkdir(path.join(charts, 'stable'));
      for (const file of await fs.readdir(charts)) if (file.endsWith('.tgz') || file === 'index.yaml') await fs.copyFile(path.join(charts, file), path.join(charts, 'stable', file));
      base = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-mirror-git-'));
      const remote = await makeRemote(base, 'platform');
      remote.commit({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\ndata:\n  from: mirror\n' }, 'first');
      git(remote.work, 'push', '--quiet', 'origin', 'main');
      gitServer = await serveGit(base);
    });

    after(async () => {
      await mirror.stop();
      await gitServer.stop();
      await removeTempRepos();
      await Promise.all([charts, cacheRoot, home, base].map((folder) => fs.rm(folder, { recursive: true, force: true })));
    });

    it('fetches charts and Git sources from the mirrors, with the mirror\'s login only, and says which mirror served them', async () => {
      const gitMirror = gitServer.url('platform').replace(/\/platform\.git$/, '');
      const root = await writeRepo({
        '.driftline.yaml': `sources:\n  mirrors:\n    https://charts.example.invalid: ${mirror.url}\n    ssh://git@git.example.invalid/org: ${gitMirror}\n`,
        'clusters/dev/sources.yaml': [
          'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: HelmRepository', 'metadata:', '  name: charts', '  namespace: flux-system',
          'spec:', '  url: https://charts.example.invalid/stable', '---',
          'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata:', '  name: platform', '  namespace: flux-system',
          'spec:', '  url: ssh://git@git.example.invalid/org/platform.git', '  ref:', '    branch: main', '',
        ].join('\n'),
        'clusters/dev/podinfo.yaml': [
          'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: podinfo', '  namespace: apps', 'spec:',
          '  chart:', '    spec:', '      chart: podinfo', '      version: "6.5.x"', '      sourceRef:', '        kind: HelmRepository', '        name: charts', '        namespace: flux-system', '',
        ].join('\n'),
        'clusters/dev/platform.yaml': [
          'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', '  name: platform', '  namespace: flux-system',
          'spec:', '  path: ./app', '  prune: true', '  sourceRef:', '    kind: GitRepository', '    name: platform', '',
        ].join('\n'),
      });
      const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') } } });
      const model = await workspace.discover();
      const rendered: Record<string, RenderedApp> = Object.fromEntries((await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model)))
        .map((app) => [app.app.name, app]));
      assert.equal(rendered.podinfo.error, undefined);
      assert.deepEqual(rendered.podinfo.objects.map(({ object }) => (object.data as Record<string, string>).version), ['6.5.4']);
      assert.ok(rendered.podinfo.sourceNote?.startsWith(`chart podinfo 6.5.4 from mirror ${mirror.url}/stable (for https://charts.example.invalid/stable)`), rendered.podinfo.sourceNote);
      const sent = new Set(mirror.authorizations.map((request) => request.authorization));
      assert.ok(!sent.has(`Basic ${Buffer.from('upstream-user:upstream-pass').toString('base64')}`), 'the upstream login never reaches the mirror');
      assert.ok(sent.has(`Basic ${Buffer.from('mirror-user:mirror-pass').toString('base64')}`));
      assert.equal(rendered.platform.error, undefined);
      assert.deepEqual(rendered.platform.objects.map(({ object }) => object.data), [{ from: 'mirror' }]);
      assert.match(rendered.platform.sourceNote ?? '', new RegExp(`^Git ssh://git.example.invalid/org/platform.git branch main at [0-9a-f]{7} from mirror ${gitServer.url('platform').replace(/\./g, '\\.')}$`));

      // A mirror that served the chart is no stand-in: the next refresh asks the mirror only (what the range
      // resolves to now) and keeps the render while it is the same chart.
      assert.equal(rendered.podinfo.provisional, undefined);
      const fetches: string[] = [];
      const listening = workspace.sourceFetches.onFetch((event) => { if (event.phase === 'started') fetches.push(event.what); });
      const again = await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model));
      listening.dispose();
      assert.ok(fetches.length > 0 && fetches.every((what) => what.includes(mirror.url)), `the refresh asked: ${fetches.join(', ')}`);
      assert.equal(again.find((app) => app.app.name === 'podinfo')?.sourceNote, rendered.podinfo.sourceNote, 'the row still names the mirror');
    });
  });
});
