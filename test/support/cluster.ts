// The test cluster the integration suites share: `test/run-suite.mjs` (or `npm test`) starts it and points
// $DRIFTLINE_TEST_CLUSTER at its info file; `npm run cluster:up` prints the same variable for a long-lived one.
import fs from 'node:fs';
import { ClusterClient } from '../../src/core/cluster/client';
import { loadKubeConfig } from '../../src/core/cluster/kubeconfig';
import { Workspace, type WorkspaceOptions } from '../../src/core/workspace';

export interface TestClusterInfo {
  /** Kubeconfig with the two contexts below. */
  kubeconfig: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** kube-apiserver version, `v1.20.2`. */
  version: string;
  /** Context of an admin (group system:masters). */
  adminContext: string;
  /** Context of `limitedUser`, which RBAC lets only get/list/watch in `limitedNamespace`. */
  limitedContext: string;
  limitedUser: string;
  limitedNamespace: string;
  /** The cluster's temp dir (certificates, logs). */
  runDir: string;
}

let cached: TestClusterInfo | undefined;

export function testCluster(): TestClusterInfo {
  if (cached) return cached;
  const file = process.env.DRIFTLINE_TEST_CLUSTER;
  if (!file) {
    throw new Error('DRIFTLINE_TEST_CLUSTER is not set: run integration tests with `node test/run-suite.mjs integration` ' +
      '(it starts a cluster), or `npm run cluster:up` and export the variable it prints');
  }
  if (!fs.existsSync(file)) {
    throw new Error(`DRIFTLINE_TEST_CLUSTER=${file} does not exist: the test cluster is not running (npm run cluster:up)`);
  }
  cached = JSON.parse(fs.readFileSync(file, 'utf8')) as TestClusterInfo;
  return cached;
}

/** A ClusterClient for the admin context, or the limited one with `{ limited: true }`. */
export function testClient(options: { limited?: boolean } = {}): ClusterClient {
  const info = testCluster();
  return ClusterClient.forContext(loadKubeConfig(info.kubeconfig), options.limited ? info.limitedContext : info.adminContext);
}

/** A workspace on `repoRoot` against the test cluster's kubeconfig, as the CLI makes one per command. */
export function testWorkspace(repoRoot: string, options: Omit<WorkspaceOptions, 'repoRoot' | 'kubeconfig'> = {}): Workspace {
  return new Workspace({ repoRoot, kubeconfig: testCluster().kubeconfig, ...options });
}
