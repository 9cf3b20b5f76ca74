// A small kustomize-shaped repo with two apps and a history that touches them in different ways.
import * as path from 'node:path';
import { GitFixture } from './gitFixture';

export function deployment(replicas: number, image: string): string {
  // Replicas and image sit far apart so that changing one never collides with changing the other.
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: podinfo',
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels:',
    '      app: podinfo',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: podinfo',
    '    spec:',
    '      containers:',
    '        - name: podinfo',
    `          image: ${image}`,
    '',
  ].join('\n');
}

export const PODINFO_FILES = [
  'apps/base/podinfo/deployment.yaml',
  'apps/base/podinfo/kustomization.yaml',
  'apps/staging/podinfo/kustomization.yaml',
];

export interface AppHistoryFixture {
  /** The app's input files, absolute, as render reports them. */
  appPaths: string[];
  add: string;
  replicas: string;
  redis: string;
  stagingAndReadme: string;
  image: string;
}

export function buildAppHistory(repo: GitFixture): AppHistoryFixture {
  const add = repo.commit('Add podinfo and redis', {
    'README.md': 'Fleet\n',
    'apps/base/podinfo/deployment.yaml': deployment(1, 'ghcr.io/stefanprodan/podinfo:6.4.0'),
    'apps/base/podinfo/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'apps/staging/podinfo/kustomization.yaml': 'resources:\n  - ../../base/podinfo\nnamespace: podinfo\n',
    'apps/base/redis/deployment.yaml': 'kind: Deployment\nimage: redis:7.0\n',
  });
  const replicas = repo.commit('podinfo: two replicas', {
    'apps/base/podinfo/deployment.yaml': deployment(2, 'ghcr.io/stefanprodan/podinfo:6.4.0'),
  });
  const redis = repo.commit('redis: 7.2', { 'apps/base/redis/deployment.yaml': 'kind: Deployment\nimage: redis:7.2\n' });
  const stagingAndReadme = repo.commit('podinfo staging: label, and a README line', {
    'apps/staging/podinfo/kustomization.yaml': 'resources:\n  - ../../base/podinfo\nnamespace: podinfo\ncommonLabels:\n  env: staging\n',
    'README.md': 'Fleet of podinfo and redis\n',
  });
  const image = repo.commit('podinfo: 6.5.0', {
    'apps/base/podinfo/deployment.yaml': deployment(2, 'ghcr.io/stefanprodan/podinfo:6.5.0'),
  });
  return { appPaths: PODINFO_FILES.map((f) => path.join(repo.root, f)), add, replicas, redis, stagingAndReadme, image };
}
