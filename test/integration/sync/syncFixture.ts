// A GitOps repo in a temp dir with one plain-YAML app (`shop`) in one environment (`dev`) bound to a context
// of the test cluster, and helpers to read and drift what sync applies.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../../../src/core/model';
import { testCluster } from '../../support/cluster';

export interface SyncRepo {
  root: string;
  /** Replaces the app's manifests with these objects (one file per object). */
  writeApp(objects: KubeObject[]): void;
  cleanup(): void;
}

export function makeSyncRepo(options: { namespace: string; context?: string; protected?: boolean; objects: KubeObject[] }): SyncRepo {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-sync-repo-'));
  const appDir = path.join(root, 'apps', 'shop');
  const config = {
    environments: [{ name: 'dev', context: options.context ?? testCluster().adminContext, protected: options.protected ?? false }],
    apps: [{ name: 'shop', environment: 'dev', path: 'apps/shop', namespace: options.namespace, renderer: 'yaml' }],
  };
  fs.writeFileSync(path.join(root, '.driftline.yaml'), stringify(config));
  const repo: SyncRepo = {
    root,
    writeApp(objects) {
      fs.rmSync(appDir, { recursive: true, force: true });
      fs.mkdirSync(appDir, { recursive: true });
      for (const object of objects) {
        fs.writeFileSync(path.join(appDir, `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`), stringify(object));
      }
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
  repo.writeApp(options.objects);
  return repo;
}

export function shopObjects(namespace: string, overrides: { configData?: Record<string, string>; replicas?: number } = {}): KubeObject[] {
  return [
    {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-config', namespace },
      data: overrides.configData ?? { color: 'blue', size: 'large' },
    },
    {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-db', namespace },
      type: 'Opaque', stringData: { password: 'git-password-1' },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop', namespace },
      spec: { selector: { app: 'shop' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop', namespace },
      spec: {
        replicas: overrides.replicas ?? 2,
        selector: { matchLabels: { app: 'shop' } },
        template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ name: 'shop', image: 'nginx:1.25' }] } },
      },
    },
  ];
}

export function ref(kind: string, namespace: string, name: string) {
  const apiVersion = kind === 'Deployment' ? 'apps/v1' : 'v1';
  return { apiVersion, kind, namespace, name };
}

export function decodeSecret(secret: KubeObject | undefined, key: string): string | undefined {
  const data = secret?.data as Record<string, string> | undefined;
  return data?.[key] === undefined ? undefined : Buffer.from(data[key] as string, 'base64').toString();
}
