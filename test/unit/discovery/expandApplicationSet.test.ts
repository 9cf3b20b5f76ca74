import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import type { AppDefinition } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

const THIS_REPO = 'https://github.com/acme/gitops.git';

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' });
}

async function gitRepo(files: Record<string, string>): Promise<string> {
  const root = await writeRepo(files);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'remote', 'add', 'origin', THIS_REPO);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'init');
  return root;
}

function appset(spec: string, name = 'set'): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n${spec}`;
}

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

async function appsOf(root: string): Promise<Record<string, AppDefinition>> {
  const model = await discoverRepo(root);
  return Object.fromEntries(model.environments.flatMap((environment) => environment.apps).map((app) => [app.name, app]));
}

describe('Argo CD ApplicationSets', () => {
  after(removeTempRepos);

  it('list generator (fasttemplate): one app per element (a post-selector drops some), named by the template, declared at the ApplicationSet, rendered like an Application', async () => {
    const root = await gitRepo({
      'argocd/other.yaml': CM('x'),
      'argocd/set.yaml': `${CM('first')}---\n${appset(`  generators:
    - list:
        elements:
          - cluster: staging
            values: {ns: web-staging}
          - cluster: prod
            values: {ns: web-prod}
          - cluster: dev
            values: {ns: web-dev}
      selector:
        matchExpressions:
          - {key: cluster, operator: NotIn, values: [dev]}
  template:
    metadata:
      name: '{{cluster}}-web'
    spec:
      project: default
      source:
        repoURL: ${THIS_REPO}
        path: 'web/{{cluster}}'
        targetRevision: HEAD
      destination:
        name: '{{cluster}}'
        namespace: '{{values.ns}}'
`)}`,
      'web/staging/cm.yaml': CM('web'),
      'web/prod/kustomization.yaml': 'resources: [cm.yaml]\n',
      'web/prod/cm.yaml': CM('web'),
    });
    const apps = await appsOf(root);
    assert.deepEqual(Object.keys(apps).sort(), ['prod-web', 'staging-web']);
    const prod = apps['prod-web'];
    assert.equal(prod.environment, 'prod');
    assert.equal(prod.namespace, 'web-prod');
    assert.equal(prod.renderer, 'kustomize');
    assert.equal(prod.path, path.join(root, 'web/prod'));
    assert.deepEqual(prod.declaredAt, { file: path.join(root, 'argocd/set.yaml'), line: 6 });
    assert.equal(apps['dev-web'], undefined);
    assert.deepEqual(prod.controller, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name: 'prod-web', namespace: 'argocd' });
    assert.equal(apps['staging-web'].renderer, 'yaml');
    const rendered = await renderApps([prod, apps['staging-web']]);
    assert.deepEqual(rendered.map((result) => result.objects.map(({ object }) => `${object.metadata.namespace}/${object.metadata.name}`)), [['web-prod/web'], ['web-staging/web']]);
  });

  it('git directories generator: path globs with exclude, path.basename, path.basenameNormalized, path[n]; git-ignored and hidden folders are not listed', async () => {
    const root = await gitRepo({
      '.gitignore': 'scratch/\n',
      'argocd/set.yaml': appset(`  generators:
    - git:
        repoURL: git@github.com:acme/gitops
        revision: HEAD
        directories:
          - path: apps/*/**
          - path: apps/*/excluded
            exclude: true
  template:
    metadata:
      name: '{{path[1]}}-{{path.basenameNormalized}}'
      labels:
        folder: '{{path}}'
    spec:
      source:
        repoURL: ${THIS_REPO}
        path: '{{path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{path.basename}}'
`),
      'apps/team-a/my_api/cm.yaml': CM('api'),
      'apps/team-a/excluded/cm.yaml': CM('no'),
      'apps/team-b/web/cm.yaml': CM('web'),
      'apps/team-b/.hidden/cm.yaml': CM('hidden'),
      'apps/team-b/web/deep/cm.yaml': CM('deep'),
      'apps/top.yaml': CM('top'),
    });
    await writeRepoFile(root, 'apps/team-a/scratch/cm.yaml', CM('ignored'));
    await writeRepoFile(root, 'apps/team-a/untracked/cm.yaml', CM('untracked'));
    const apps = await appsOf(root);
    assert.deepEqual(Object.keys(apps).sort(), ['team-a-my-api', 'team-a-untracked', 'team-b-web']);
    assert.equal(apps['team-a-my-api'].path, path.join(root, 'apps/team-a/my_api'));
    assert.equal(apps['team-a-my-api'].namespace, 'my_api');
    assert.equal(apps['team-b-web'].environment, 'in-cluster');
  });

  it('git files generator: each JSON/YAML file is a parameter set, flattened as a.b.c (fasttemplate) or nested (goTemplate), with path and path.filename', async () => {
    const root = await gitRepo({
      'argocd/fast.yaml': appset(`  generators:
    - git:
        repoURL: ${THIS_REPO}
        revision: main
        files:
          - path: 'clusters/**/config.json'
  template:
    metadata:
      name: 'fast-{{cluster.name}}'
      annotations:
        file: '{{path}}/{{path.filename}}'
        first: '{{cluster.zones.0}}'
    spec:
      source:
        repoURL: ${THIS_REPO}
        path: 'deploy/{{cluster.name}}'
      destination:
        name: '{{cluster.name}}'
        namespace: '{{path.basename}}'
`, 'fast'),
      'argocd/go.yaml': appset(`  goTemplate: true
  generators:
    - git:
        repoURL: ${THIS_REPO}
        revision: HEAD
        files:
          - path: 'clusters/*/config.json'
  template:
    metadata:
      name: 'go-{{ .cluster.name }}'
    spec:
      source:
        repoURL: ${THIS_REPO}
        path: 'deploy/{{ .cluster.name }}'
      destination:
        name: '{{ .cluster.name }}'
        namespace: '{{ index .path.segments 1 }}-{{ .path.filenameNormalized }}'
`, 'go'),
      'clusters/eu/config.json': JSON.stringify({ cluster: { name: 'eu', zones: ['eu-1', 'eu-2'] } }),
      'clusters/us/config.json': JSON.stringify({ cluster: { name: 'us', zones: ['us-1'] } }),
      'deploy/eu/cm.yaml': CM('eu'),
      'deploy/us/cm.yaml': CM('us'),
    });
    const apps = await appsOf(root);
    assert.deepEqual(Object.keys(apps).sort(), ['fast-eu', 'fast-us', 'go-eu', 'go-us']);
    assert.equal(apps['fast-eu'].path, path.join(root, 'deploy/eu'));
    assert.equal(apps['fast-eu'].environment, 'eu');
    assert.equal(apps['fast-eu'].namespace, 'eu');
    assert.equal(apps['go-us'].namespace, 'us-config.json');
    assert.equal(apps['go-us'].environment, 'us');
  });

  it('git generator at another revision reads that revision from the object store, not the working tree', async () => {
    const root = await gitRepo({
      'argocd/set.yaml': appset(`  generators:
    - git:
        repoURL: ${THIS_REPO}
        revision: v1
        directories:
          - path: apps/*
  template:
    metadata:
      name: '{{path.basename}}'
    spec:
      source:
        repoURL: ${THIS_REPO}
        path: '{{path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: default
`),
      'apps/old/cm.yaml': CM('old'),
    });
    git(root, 'tag', 'v1');
    git(root, 'rm', '-q', '-r', 'apps/old');
    await writeRepoFile(root, 'apps/new/cm.yaml', CM('new'));
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'next');
    const apps = await appsOf(root);
    assert.deepEqual(Object.keys(apps), ['old']);
  });

  it('clusters generator lists the .driftline.yaml environments (name, server); without any, Argo CD\'s in-cluster', async () => {
    const set = appset(`  generators:
    - clusters: {}
  template:
    metadata:
      name: 'guestbook-{{name}}'
    spec:
      source:
        repoURL: ${THIS_REPO}
        path: guestbook
      destination:
        server: '{{server}}'
        namespace: guestbook
`);
    const root = await gitRepo({
      '.driftline.yaml': 'environments:\n  - name: staging\n    context: kind-staging\n  - name: prod\n    context: kind-prod\n',
      'argocd/set.yaml': set,
      'guestbook/cm.yaml': CM('gb'),
    });
    const apps = await appsOf(root);
    assert.deepEqual(Object.keys(apps).sort(), ['guestbook-prod', 'guestbook-staging']);
    assert.equal(apps['guestbook-prod'].environment, 'prod');
    assert.equal(apps['guestbook-staging'].environment, 'staging');

    const bare = await gitRepo({ 'argocd/set.yaml': set, 'guestbook/cm.yaml': CM('gb') });
    const bareApps = await appsOf(bare);
    assert.deepEqual(Object.keys(bareApps), ['guestbook-in-cluster']);
    assert.equal(bareApps['guestbook-in-cluster'].environment, 'in-cluster');
  });

  it('matrix generator: git directories x clusters, the second child using the first\'s parameters; merge generator overrides by mergeKeys', async () => {
    const root = await gitRepo({
      '.driftline.yaml': 'environments:\n  - name: staging\n  - name: prod\n',
      'argocd/matrix.yaml': appset(`  generators:
    - matrix:
        generators:
          - git:
              repoURL: ${THIS_REPO}
              revision: HEAD
              directories:
                - path: apps/*
          - list:
              elements:
                - env: staging
                  dir: '{{path}}/staging'
                - env: prod
                  dir: '{{path}}/prod'
  template:
    metadata:
      name: '{{path.basename}}-{{env}}'
    spec:
      source:
        repoURL: ${THIS_REPO}
        path: '{{dir}}'
      destination:
        name: '{{env}}'
        namespace: '{{path.basename}}'
`, 'matrix'),
      'argocd/merge.yaml': appset(`  goTemplate: true
  generators:
    - merge:
        mergeKeys: [name]
        generators:
          - clusters: {}
            values:
              replicas: '1'
          - list:
              elements:
                - name: prod
                  values: {replicas: '3'}
  template:
    metadata:
      name: 'merged-{{ .name }}-{{ .values.replicas }}'
    spec:
      source:
        repoURL: ${THIS_REPO}
        path: apps/api/prod
      destination:
        name: '{{ .name }}'
        namespace: api
`, 'merge'),
      'apps/api/staging/cm.yaml': CM('api'),
      'apps/api/prod/cm.yaml': CM('api'),
      'apps/web/staging/cm.yaml': CM('web'),
      'apps/web/prod/cm.yaml': CM('web'),
    });
    const apps = await appsOf(root);
    assert.deepEqual(Object.keys(apps).filter((name) => !name.startsWith('merged')).sort(), ['api-prod', 'api-staging', 'web-prod', 'web-staging']);
    assert.equal(apps['web-staging'].path, path.join(root, 'apps/web/staging'));
    assert.equal(apps['web-staging'].environment, 'staging');
    assert.deepEqual(Object.keys(apps).filter((name) => name.startsWith('merged')).sort(), ['merged-prod-3', 'merged-staging-1']);
  });

  it('goTemplate with sprig functions and templatePatch; missingkey=error makes a missing key an Unknown app naming it', async () => {
    const root = await gitRepo({
      'argocd/set.yaml': appset(`  goTemplate: true
  generators:
    - list:
        elements:
          - name: Billing_API
            repo: team/billing
            autosync: true
          - name: Web
            repo: team/web
  template:
    metadata:
      name: '{{ .name | lower | replace "_" "-" }}'
      labels:
        team: '{{ trimPrefix "team/" .repo | upper }}'
        tier: '{{ default "standard" .tier | quote }}'
    spec:
      source:
        repoURL: ${THIS_REPO}
        path: '{{ trimSuffix "/" "apps/" }}/{{ .name | lower | replace "_" "-" }}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{ .repo | trimPrefix "team/" }}'
  templatePatch: |
    {{- if .autosync }}
    spec:
      destination:
        namespace: {{ printf "%s-auto" .name | lower }}
    {{- end }}
`),
      'argocd/strict.yaml': appset(`  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list:
        elements:
          - cluster: a
  template:
    metadata:
      name: 'strict-{{ .clusterName }}'
    spec:
      source: {repoURL: ${THIS_REPO}, path: apps/web}
      destination: {server: https://kubernetes.default.svc, namespace: x}
`, 'strict'),
      'apps/billing-api/cm.yaml': CM('billing'),
      'apps/web/cm.yaml': CM('web'),
    });
    const apps = await appsOf(root);
    assert.deepEqual(Object.keys(apps).sort(), ['billing-api', 'strict', 'web']);
    assert.equal(apps['billing-api'].path, path.join(root, 'apps/billing-api'));
    assert.equal(apps['billing-api'].namespace, 'billing_api-auto');
    assert.equal(apps.web.namespace, 'web');
    assert.equal(apps.web.unknownReason, undefined);
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    assert.match(apps.strict.unknownReason ?? '', /^ApplicationSet strict: generators\[0\] \(list\): template: map has no entry for key "clusterName"/);
  });

  it('a generator that cannot be expanded (pull request, SCM provider, another repository) is an Unknown app naming it; the others still expand', async () => {
    const root = await gitRepo({
      'argocd/set.yaml': appset(`  generators:
    - pullRequest:
        github: {owner: acme, repo: gitops}
    - git:
        repoURL: https://github.com/someone/else
        revision: HEAD
        directories: [{path: '*'}]
    - list:
        elements: [{name: kept}]
  template:
    metadata:
      name: '{{name}}'
    spec:
      source: {repoURL: ${THIS_REPO}, path: apps/web}
      destination: {server: https://kubernetes.default.svc, namespace: x}
`),
      'apps/web/cm.yaml': CM('web'),
    });
    const apps = await appsOf(root);
    assert.deepEqual(Object.keys(apps).sort(), ['kept', 'set']);
    assert.match(apps.set.unknownReason ?? '', /generators\[0\] \(pullRequest\): pullRequest generator lists open pull requests/);
    assert.match(apps.set.unknownReason ?? '', /generators\[1\] \(git\): git generator reads https:\/\/github\.com\/someone\/else, which is not this repository/);
    const [rendered] = await renderApps([apps.set]);
    assert.match(rendered.error ?? '', /pullRequest/);
  });
});

async function writeRepoFile(root: string, file: string, content: string): Promise<void> {
  const { promises: fs } = await import('node:fs');
  await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await fs.writeFile(path.join(root, file), content);
}
