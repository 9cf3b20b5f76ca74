// A test cluster of the fault suite's own (scripts/cluster/cluster.mjs): etcd and kube-apiserver that tests may
// kill and start again without breaking the cluster every other suite shares ($DRIFTLINE_TEST_CLUSTER).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestClusterInfo } from './cluster';

export type ServerName = 'etcd' | 'apiserver';

export interface PrivateCluster {
  info: TestClusterInfo;
  /** Whether the server runs now. */
  running(name: ServerName): boolean;
  /** SIGKILL now, as a crash would; synchronous, so a test can kill it between two requests. */
  kill(name: ServerName): void;
  /** Resolves once a killed server has exited. */
  stopped(name: ServerName): Promise<void>;
  /** Starts a stopped server again (same flags, ports and data); resolves once kube-apiserver is ready. */
  start(name: ServerName): Promise<void>;
  /** Starts whatever a failed test left stopped: etcd first, then kube-apiserver. */
  ensureRunning(): Promise<void>;
  stop(): Promise<void>;
}

interface StartedCluster {
  info: TestClusterInfo;
  stop(): Promise<void>;
  servers: {
    running(name: ServerName): boolean;
    kill(name: ServerName): void;
    stopped(name: ServerName): Promise<void>;
    start(name: ServerName): Promise<void>;
  };
}

/** The harness is an ES module; compiled to CommonJS, a plain `import()` would become `require()`. */
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<{
  startCluster(options?: { apiserverArgs?: string[]; log?: (line: string) => void }): Promise<StartedCluster>;
}>;

/** Compiled to out/test/support: the harness is in scripts/cluster. */
const harness = path.resolve(__dirname, '../../../scripts/cluster/cluster.mjs');

export async function startPrivateCluster(options: { apiserverArgs?: string[] } = {}): Promise<PrivateCluster> {
  const { startCluster } = await importModule(pathToFileURL(harness).href);
  const cluster = await startCluster({ apiserverArgs: options.apiserverArgs, log: (line) => console.error(`[fault cluster] ${line}`) });
  const { servers } = cluster;
  return {
    info: cluster.info,
    running: (name) => servers.running(name),
    kill: (name) => servers.kill(name),
    stopped: (name) => servers.stopped(name),
    start: (name) => servers.start(name),
    async ensureRunning() {
      if (!servers.running('etcd')) await servers.start('etcd');
      if (!servers.running('apiserver')) await servers.start('apiserver');
    },
    stop: () => cluster.stop(),
  };
}
