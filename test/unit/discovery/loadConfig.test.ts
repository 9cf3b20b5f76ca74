import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { parseConfig } from '../../../src/core/discovery/loadConfig';
import { copyExample, removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { itWithShared } from '../../support/shared';
import { promises as fs } from 'node:fs';

const FILE = '/repo/.driftline.yaml';

describe('.driftline.yaml', () => {
  after(removeTempRepos);

  it('reads environments, apps, ignore rules, tools and repoURLs', () => {
    const { config, problems } = parseConfig([
      'environments:',
      '  - name: production',
      '    context: prod-admin',
      '    protected: true',
      'apps:',
      '  - name: web',
      '    environments: [staging, production]',
      '    path: deploy/{environment}',
      '    namespace: web',
      '    renderer: kustomize',
      'ignore:',
      '  - group: apps',
      '    kind: Deployment',
      '    jsonPointers: [/spec/replicas]',
      'tools:',
      '  helm: bin/helm',
      'repoURLs: [https://github.com/acme/gitops]',
    ].join('\n'), FILE, '/repo');
    assert.deepEqual(problems, []);
    assert.deepEqual(config.environments, [{ name: 'production', context: 'prod-admin', protected: true, line: 2 }]);
    assert.equal(config.apps[0].path, 'deploy/{environment}');
    assert.deepEqual(config.apps[0].environments, ['staging', 'production']);
    assert.deepEqual(config.ignoreRules, [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]);
    assert.equal(config.tools.helm, '/repo/bin/helm');
    assert.deepEqual(config.repoURLs, ['https://github.com/acme/gitops']);
  });

  it('names the file and line of each schema error, and keeps the valid entries', () => {
    const { config, problems } = parseConfig([
      'environments:',
      '  - name: staging',
      '    protected: yes please',
      '  - name: production',
      'apps:',
      '  - name: web',
      '    path: web',
      '    renderer: jsonnet',
      '  - name: api',
      '    environment: production',
      '    path: api',
      'ignore:',
      '  - kind: Deployment',
      '    jsonPointers: [spec/replicas]',
      'colour: blue',
    ].join('\n'), FILE, '/repo');
    const described = problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`);
    assert.deepEqual([...described].sort(), [
      `${FILE}:3: environments[0].protected: expected true or false`,
      `${FILE}:15: colour: unknown key "colour" (expected one of: environments, apps, ignore, tools, repoURLs, discovery, kubeConfigs, sources, doctor)`,
      `${FILE}:8: apps[0].renderer: "jsonnet" is not one of yaml, kustomize, helm`,
      `${FILE}:6: apps[0]: needs "environment" or "environments"`,
      `${FILE}:14: ignore[0].jsonPointers[0]: "spec/replicas" is not a JSON pointer (starts with /)`,
    ].sort());
    assert.deepEqual(config.environments.map((environment) => environment.name), ['production']);
    assert.deepEqual(config.apps.map((app) => app.name), ['api']);
    assert.deepEqual(config.ignoreRules, []);
  });

  it('reports malformed YAML with its line', () => {
    const { problems } = parseConfig('apps:\n  - name: [web\n', FILE, '/repo');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, FILE);
    assert.equal(problems[0].line, 3);
    assert.match(problems[0].message, /^invalid YAML: /);
  });

  itWithShared('gitops-examples/flux2-kustomize-helm-example', 'gives discovered environments their configured context and protection, and amends a discovered app', async () => {
    const root = await copyExample('flux2-kustomize-helm-example');
    await fs.writeFile(path.join(root, '.driftline.yaml'), [
      'environments:',
      '  - name: production',
      '    context: prod',
      '    protected: true',
      'apps:',
      '  - name: apps',
      '    environment: staging',
      '    namespace: podinfo-override',
    ].join('\n'));
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    const production = model.environments.find((environment) => environment.name === 'production')!;
    assert.equal(production.context, 'prod');
    assert.equal(production.protected, true);
    const staging = model.environments.find((environment) => environment.name === 'staging')!;
    assert.equal(staging.protected, false);
    const apps = staging.apps.find((app) => app.name === 'apps')!;
    assert.equal(apps.namespace, 'podinfo-override');
    assert.equal(apps.origin, 'flux-kustomization');
  });

  it('declares apps per environment from a path template, detecting the renderer', async () => {
    const root = await writeRepo({
      '.driftline.yaml': 'apps:\n  - name: web\n    environments: [dev, prod]\n    path: web/{environment}\n',
      'web/dev/kustomization.yaml': 'resources: [cm.yaml]\n',
      'web/dev/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
      'web/prod/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
    });
    const model = await discoverRepo(root);
    const apps = model.environments.flatMap((environment) => environment.apps);
    assert.deepEqual(apps.map((app) => [app.environment, app.name, app.renderer, app.origin, app.declaredAt.line]), [
      ['dev', 'web', 'kustomize', 'config', 2],
      ['prod', 'web', 'yaml', 'config', 2],
    ]);
  });

  it('reports an app declared twice for one environment, naming the second entry\'s line; the first counts', async () => {
    const root = await writeRepo({
      '.driftline.yaml': 'apps:\n  - name: web\n    environment: dev\n    path: a\n  - name: web\n    environment: dev\n    path: b\n',
      'a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      'b/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems.map((problem) => [problem.line, problem.message]),
      [[5, 'app "web" is declared twice for environment dev; the first entry counts']]);
    assert.equal(model.environments[0].apps[0].path, path.join(root, 'a'));
  });

  it('reports an app whose path does not exist, naming the config line, and keeps it as Unknown', async () => {
    const root = await writeRepo({ '.driftline.yaml': 'apps:\n  - name: ghost\n    environment: dev\n    path: nowhere\n' });
    const model = await discoverRepo(root);
    assert.equal(model.problems.length, 1);
    assert.equal(model.problems[0].line, 2);
    assert.match(model.problems[0].message, /app "ghost" \(dev\): path .*nowhere does not exist/);
    assert.match(model.environments[0].apps[0].unknownReason ?? '', /does not exist/);
  });

  describe('a .driftline.yaml that is there but cannot be read', () => {
    const repoWith = async (make: (file: string) => Promise<void>) => {
      const root = await writeRepo({ 'environments/dev/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n' });
      await make(path.join(root, '.driftline.yaml'));
      return root;
    };
    const configProblems = (model: { problems: { file: string; message: string }[] }, root: string) =>
      model.problems.filter((problem) => problem.file === path.join(root, '.driftline.yaml')).map((problem) => problem.message);

    it('reports a directory named .driftline.yaml, naming the file, and still discovers the apps', async () => {
      const root = await repoWith((file) => fs.mkdir(file));
      const model = await discoverRepo(root);
      assert.deepEqual(configProblems(model, root), ['cannot read .driftline.yaml: it is a directory, not a file; its settings are not applied']);
      assert.deepEqual(model.environments.flatMap((environment) => environment.apps.map((app) => app.name)), ['web']);
    });

    it('reports a symbolic link to nothing, naming its target', async () => {
      const root = await repoWith((file) => fs.symlink('/nonexistent/driftline.yaml', file));
      assert.deepEqual(configProblems(await discoverRepo(root), root),
        ['cannot read .driftline.yaml: it is a symbolic link to /nonexistent/driftline.yaml, which does not exist; its settings are not applied']);
    });

    it('reports a file it may not read (permission denied)', async () => {
      const root = await repoWith(async (file) => {
        await fs.writeFile(file, 'environments:\n  - name: prod\n    protected: true\n');
        await fs.chmod(file, 0o000);
      });
      await fs.chmod(root, 0o755);
      const model = await discoverAsUser(root);
      assert.deepEqual(configProblems(model, root), ['cannot read .driftline.yaml: permission denied; its settings are not applied']);
    });

    it('reports another YAML file it may not read, naming it, and still discovers the other apps', async () => {
      const root = await repoWith(async () => undefined);
      const secret = path.join(root, 'environments/dev/web/private.yaml');
      await fs.writeFile(secret, 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n');
      await fs.chmod(secret, 0o000);
      await fs.chmod(root, 0o755);
      const model = await discoverAsUser(root);
      assert.deepEqual(model.problems, [{ file: secret, message: `cannot read: EACCES: permission denied, open '${secret}'` }]);
      assert.deepEqual(model.apps, ['web']);
    });

    it('reports invalid YAML with the file and line (the configuration is then empty)', async () => {
      const root = await repoWith((file) => fs.writeFile(file, 'environments:\n  - name: [prod\n'));
      const model = await discoverRepo(root);
      const [problem] = model.problems;
      assert.equal(problem?.file, path.join(root, '.driftline.yaml'));
      assert.equal(problem?.line, 3);
      assert.match(problem?.message ?? '', /^invalid YAML: /);
    });

    it('takes a repo without .driftline.yaml as one without configuration, with no problem', async () => {
      const root = await repoWith(async () => undefined);
      assert.deepEqual((await discoverRepo(root)).problems, []);
    });
  });
});

/**
 * Problems and app names of discovering `root` as a user that file permissions apply to: root reads any file,
 * so then the discovery runs as nobody, in a process of its own.
 */
async function discoverAsUser(root: string): Promise<{ problems: { file: string; message: string; line?: number }[]; apps: string[] }> {
  const script = `require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/discovery/discoverRepo.js'))}).discoverRepo(process.argv[1])` +
    '.then((model) => process.stdout.write(JSON.stringify({ problems: model.problems, apps: model.environments.flatMap((e) => e.apps.map((a) => a.name)) })))';
  if (process.getuid?.() === 0) return JSON.parse(execFileSync(process.execPath, ['-e', script, root], { uid: 65534, gid: 65534, encoding: 'utf8' }));
  const model = await discoverRepo(root);
  return { problems: model.problems, apps: model.environments.flatMap((environment) => environment.apps.map((app) => app.name)) };
}
