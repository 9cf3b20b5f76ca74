import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultKubeconfigPaths, KubeconfigError, loadKubeConfig } from '../../../src/core/cluster/kubeconfig';

function kubeconfigText(options: { contexts: Array<[name: string, cluster: string, user: string]>; current?: string; server?: string; certFile?: string }): string {
  const clusters = [...new Set(options.contexts.map(([, cluster]) => cluster))]
    .map((cluster) => `- name: ${cluster}\n  cluster:\n    server: ${options.server ?? `https://${cluster}.example:6443`}`);
  const users = [...new Set(options.contexts.map(([, , user]) => user))]
    .map((user) => `- name: ${user}\n  user:\n    ${options.certFile ? `client-certificate: ${options.certFile}` : `token: token-of-${user}`}`);
  const contexts = options.contexts.map(([name, cluster, user]) => `- name: ${name}\n  context:\n    cluster: ${cluster}\n    user: ${user}`);
  return [
    'apiVersion: v1', 'kind: Config',
    'clusters:', ...clusters, 'users:', ...users, 'contexts:', ...contexts,
    ...(options.current ? [`current-context: ${options.current}`] : []), '',
  ].join('\n');
}

function assertKubeconfigError(action: () => unknown, file: string, pattern: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof KubeconfigError, String(error));
    assert.ok(error.message.includes(file), `"${error.message}" should name ${file}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('cluster/kubeconfig', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };

  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-kubeconfig-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('merges a KUBECONFIG list of files, listing every context with the file that defines it', () => {
    const first = write('first', kubeconfigText({ contexts: [['dev', 'dev-cluster', 'dev-user']], current: 'dev' }));
    const second = write('second', kubeconfigText({ contexts: [['prod', 'prod-cluster', 'prod-user']], current: 'prod' }));
    const loaded = loadKubeConfig(`${first}:${second}`);
    assert.deepEqual(loaded.listContexts(), [
      { name: 'dev', cluster: 'dev-cluster', user: 'dev-user', server: 'https://dev-cluster.example:6443', file: first },
      { name: 'prod', cluster: 'prod-cluster', user: 'prod-user', server: 'https://prod-cluster.example:6443', file: second },
    ]);
    assert.deepEqual(loaded.files, [first, second]);
  });

  it('lets the first file win for a name defined twice, and for current-context, like kubectl', () => {
    const first = write('first', kubeconfigText({ contexts: [['shared', 'a', 'alice']], server: 'https://first:6443' }));
    const second = write('second', kubeconfigText({ contexts: [['shared', 'a', 'alice'], ['other', 'b', 'bob']], current: 'other', server: 'https://second:6443' }));
    const third = write('third', kubeconfigText({ contexts: [['third', 'c', 'carol']], current: 'third' }));
    const loaded = loadKubeConfig([first, second, third].join(':'));
    const shared = loaded.listContexts().find((context) => context.name === 'shared');
    assert.equal(shared?.server, 'https://first:6443');
    assert.equal(shared?.file, first);
    assert.equal(loaded.currentContext, 'other', 'the first file does not set current-context, the second does');
    assert.equal(loaded.kubeConfigFor('shared').getCurrentCluster()?.server, 'https://first:6443');
  });

  it('resolves relative certificate paths against the file that names them', () => {
    const file = write('nested/config', kubeconfigText({ contexts: [['dev', 'dev', 'dev']], certFile: 'certs/dev.crt' }));
    const user = loadKubeConfig(file).kubeConfigFor('dev').getCurrentUser();
    assert.equal(user?.certFile, path.join(dir, 'nested', 'certs', 'dev.crt'));
  });

  it('skips listed files that do not exist and reports them', () => {
    const present = write('present', kubeconfigText({ contexts: [['dev', 'dev', 'dev']] }));
    const absent = path.join(dir, 'absent');
    const loaded = loadKubeConfig(`${absent}:${present}`);
    assert.deepEqual(loaded.missingFiles, [absent]);
    assert.deepEqual(loaded.listContexts().map((context) => context.name), ['dev']);
  });

  it('fails naming the path when no kubeconfig file exists', () => {
    const absent = path.join(dir, 'nowhere', 'config');
    assertKubeconfigError(() => loadKubeConfig(absent), absent, /no kubeconfig file found/);
  });

  it('fails naming the file and the line for YAML that does not parse', () => {
    const good = write('good', kubeconfigText({ contexts: [['dev', 'dev', 'dev']] }));
    const broken = write('broken', 'apiVersion: v1\nclusters:\n- name: x\n  cluster:\n    server: [unclosed\n');
    assertKubeconfigError(() => loadKubeConfig(`${good}:${broken}`), broken, /^malformed kubeconfig .*broken: .*\(\d+:\d+\)/);
  });

  it('fails naming the file for an entry that lacks a required field', () => {
    const file = write('config', 'apiVersion: v1\nclusters:\n- name: x\n  cluster: {}\nusers: []\ncontexts: []\n');
    assertKubeconfigError(() => loadKubeConfig(file), file, /malformed kubeconfig .*server/);
  });

  it('fails naming the file for YAML that is not a mapping', () => {
    const list = write('list', '- clusters\n- users\n');
    assertKubeconfigError(() => loadKubeConfig(list), list, /not a kubeconfig/);
  });

  it('treats an empty file as an empty kubeconfig', () => {
    const empty = write('empty', '');
    const other = write('other', kubeconfigText({ contexts: [['dev', 'dev', 'dev']], current: 'dev' }));
    const loaded = loadKubeConfig(`${empty}:${other}`);
    assert.equal(loaded.currentContext, 'dev');
  });

  it('names the known contexts when asked for one that does not exist', () => {
    const file = write('config', kubeconfigText({ contexts: [['dev', 'dev', 'dev'], ['prod', 'prod', 'prod']] }));
    assertKubeconfigError(() => loadKubeConfig(file).resolve('staging'), file, /no context "staging" .*contexts: "dev", "prod"/);
  });

  it('names the context and its file when its user is defined nowhere', () => {
    const file = write('config', 'apiVersion: v1\nclusters:\n- name: c\n  cluster: {server: "https://c:6443"}\nusers: []\n' +
      'contexts:\n- name: dev\n  context: {cluster: c, user: ghost}\n');
    assertKubeconfigError(() => loadKubeConfig(file).resolve('dev'), file, /context "dev" .* uses user "ghost", which no kubeconfig file defines/);
  });

  it('defaults to $KUBECONFIG, else ~/.kube/config', () => {
    assert.equal(defaultKubeconfigPaths({ KUBECONFIG: '/a:/b' }), '/a:/b');
    assert.equal(defaultKubeconfigPaths({}), path.join(os.homedir(), '.kube', 'config'));
  });
});
