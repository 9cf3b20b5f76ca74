// A GitOps repo in a temp dir whose environment `dev` (the test cluster's admin context) holds Flux objects in
// clusters/dev, and the Flux objects the controller-mode tests put live (no controller runs: tests play it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../../../src/core/model';
import { testCluster } from '../../support/cluster';

export interface FluxRepo {
  root: string;
  cleanup(): void;
}

/** `files`: repo-relative path -> text; `.driftline.yaml` binds environment dev (protected when asked). */
export function makeFluxRepo(files: Record<string, string>, options: { protected?: boolean } = {}): FluxRepo {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-flux-repo-'));
  const all = { '.driftline.yaml': stringify({ environments: [{ name: 'dev', context: testCluster().adminContext, protected: options.protected ?? false }] }), ...files };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return { root, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export function fluxKustomization(namespace: string, suspend = false): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace },
    spec: { interval: '10m', prune: true, path: './apps/staging', sourceRef: { kind: 'GitRepository', name: 'flux-system' }, suspend },
  };
}

/** A release of a chart from a public Helm repository the tests cannot reach (its render fails, the app is Unknown, but has its controller). */
export function fluxHelmRelease(namespace: string, suspend = false): KubeObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo', namespace },
    spec: {
      interval: '10m', suspend,
      chart: { spec: { chart: 'podinfo', version: '6.x', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } },
      values: { replicaCount: 2 },
    },
  };
}

export function helmRepository(namespace: string): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'podinfo', namespace },
    spec: { interval: '1h', url: 'https://stefanprodan.github.io/podinfo' },
  };
}
