// Loading kubeconfig files the way kubectl does: a KUBECONFIG-style list of files is merged, the first file
// that defines a cluster, user or context name wins, and the first file that sets current-context decides it.
// Files in the list that do not exist are skipped (as kubectl does) but reported; a malformed file is an
// error that names it, because silently dropping its contexts would send the user to the wrong cluster.
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { QUIET_YAML } from '../yamlLimits';

export class KubeconfigError extends Error {
  /**
   * `missing`: no file of the list exists (kubectl's "no configuration"); `unreadable`/`malformed`: a file is
   * there but cannot be used (the message names it and says why); `incomplete`: a context lacks what it names.
   */
  constructor(message: string, readonly file?: string, readonly kind: 'missing' | 'unreadable' | 'malformed' | 'incomplete' = 'incomplete') {
    super(message);
    this.name = 'KubeconfigError';
  }
}

export interface KubeContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  /** The cluster's server URL, when the cluster is defined. */
  server?: string;
  /** The file that defines this context. */
  file: string;
}

/** Where kubeconfig comes from when nothing is configured: $KUBECONFIG, else ~/.kube/config. */
export function defaultKubeconfigPaths(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBECONFIG && env.KUBECONFIG.trim() ? env.KUBECONFIG : path.join(os.homedir(), '.kube', 'config');
}

export class LoadedKubeConfig {
  constructor(
    /** Files that were read, in order. */
    readonly files: string[],
    /** Files named in the list that do not exist (skipped, like kubectl). */
    readonly missingFiles: string[],
    readonly currentContext: string | undefined,
    private readonly clusters: Map<string, Cluster>,
    private readonly users: Map<string, User>,
    private readonly contexts: Map<string, Context & { file: string }>,
  ) {}

  listContexts(): KubeContextInfo[] {
    return [...this.contexts.values()].map((context) => ({
      name: context.name,
      cluster: context.cluster,
      user: context.user,
      ...(context.namespace ? { namespace: context.namespace } : {}),
      ...(this.clusters.get(context.cluster) ? { server: this.clusters.get(context.cluster)?.server } : {}),
      file: context.file,
    }));
  }

  hasContext(name: string): boolean {
    return this.contexts.has(name);
  }

  /** The named context, its cluster and user; throws a KubeconfigError naming what is missing and where. */
  resolve(contextName: string): { context: Context & { file: string }; cluster: Cluster; user: User } {
    const context = this.contexts.get(contextName);
    if (!context) {
      const known = [...this.contexts.keys()].map((name) => `"${name}"`).join(', ') || 'none';
      throw new KubeconfigError(`no context "${contextName}" in kubeconfig ${this.describeFiles()} (contexts: ${known})`);
    }
    const cluster = this.clusters.get(context.cluster);
    if (!cluster) {
      throw new KubeconfigError(`context "${contextName}" (${context.file}) uses cluster "${context.cluster}", ` +
        `which no kubeconfig file defines (${this.describeFiles()})`, context.file);
    }
    const user = this.users.get(context.user);
    if (!user) {
      throw new KubeconfigError(`context "${contextName}" (${context.file}) uses user "${context.user}", ` +
        `which no kubeconfig file defines (${this.describeFiles()})`, context.file);
    }
    return { context, cluster, user };
  }

  /** A client-node KubeConfig holding only `contextName`, its cluster and user, as the current context. */
  kubeConfigFor(contextName: string): KubeConfig {
    const { context, cluster, user } = this.resolve(contextName);
    const config = new KubeConfig();
    const { file: _file, ...plainContext } = context;
    config.loadFromOptions({ clusters: [cluster], users: [user], contexts: [plainContext], currentContext: context.name });
    return config;
  }

  private describeFiles(): string {
    return this.files.length ? this.files.join(', ') : '(no files)';
  }
}

/**
 * Loads and merges the kubeconfig files in `kubeconfigPaths` (':'-separated like KUBECONFIG; default
 * $KUBECONFIG, else ~/.kube/config).
 */
export function loadKubeConfig(kubeconfigPaths: string = defaultKubeconfigPaths()): LoadedKubeConfig {
  const listed = [...new Set(kubeconfigPaths.split(path.delimiter).map((file) => file.trim()).filter(Boolean))]
    .map((file) => path.resolve(expandHome(file)));
  const files = listed.filter((file) => fs.existsSync(file));
  const missingFiles = listed.filter((file) => !fs.existsSync(file));
  if (files.length === 0) {
    throw new KubeconfigError(`no kubeconfig file found: ${listed.join(', ') || '(empty list)'} does not exist`,
      listed[0], 'missing');
  }
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context & { file: string }>();
  let currentContext: string | undefined;
  for (const file of files) {
    const config = readOne(file);
    for (const cluster of config.clusters) if (!clusters.has(cluster.name)) clusters.set(cluster.name, cluster);
    for (const user of config.users) if (!users.has(user.name)) users.set(user.name, user);
    for (const context of config.contexts) {
      if (!contexts.has(context.name)) contexts.set(context.name, { ...context, file });
    }
    currentContext ??= config.currentContext || undefined;
  }
  return new LoadedKubeConfig(files, missingFiles, currentContext, clusters, users, contexts);
}

/** One file through client-node's own parser, so the entries mean exactly what they mean to client-node. */
function readOne(file: string): KubeConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new KubeconfigError(`cannot read kubeconfig ${file}: ${(error as Error).message}`, file, 'unreadable');
  }
  const config = new KubeConfig();
  // An empty file is an empty kubeconfig to kubectl, not an error.
  if (!text.trim()) {
    config.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
    return config;
  }
  try {
    config.loadFromString(text);
  } catch (error) {
    throw new KubeconfigError(`malformed kubeconfig ${file}: ${firstLine((error as Error).message)}`, file, 'malformed');
  }
  if (!isMapping(text) || !Array.isArray(config.clusters) || !Array.isArray(config.users) || !Array.isArray(config.contexts)) {
    throw new KubeconfigError(`malformed kubeconfig ${file}: not a kubeconfig (expected a mapping with clusters, users and contexts)`, file, 'malformed');
  }
  const wrongType = wrongTypeIn(config);
  if (wrongType) throw new KubeconfigError(`malformed kubeconfig ${file}: ${wrongType}`, file, 'malformed');
  // Relative certificate paths are relative to the file that names them.
  config.makePathsAbsolute(path.dirname(file));
  return config;
}

/**
 * client-node copies the entries' fields as YAML typed them: a context named [a, b] or a certificate path that
 * is a number passed through, to fail later as a TypeError (path.isAbsolute(5)) or to show as a name. The fields
 * Driftline reads must be strings (names required; the rest when present).
 */
function wrongTypeIn(config: KubeConfig): string | undefined {
  // client-node's field -> where it is in the file.
  const check = (list: string, entries: object[], fields: Record<string, string>, required: string[]): string | undefined => {
    for (const [i, entry] of entries.entries()) {
      for (const [field, key] of Object.entries(fields)) {
        const value = (entry as Record<string, unknown>)[field];
        const wrong = required.includes(field) ? typeof value !== 'string' : value !== undefined && value !== null && typeof value !== 'string';
        if (wrong) return `${list}[${i}].${key} is not a string`;
      }
    }
    return undefined;
  };
  if (config.currentContext !== undefined && config.currentContext !== null && typeof config.currentContext !== 'string') return 'current-context is not a string';
  return check('clusters', config.clusters, {
    name: 'name', server: 'cluster.server', caFile: 'cluster.certificate-authority', caData: 'cluster.certificate-authority-data',
    tlsServerName: 'cluster.tls-server-name', proxyUrl: 'cluster.proxy-url',
  }, ['name', 'server']) ?? check('users', config.users, {
    name: 'name', certFile: 'user.client-certificate', keyFile: 'user.client-key', certData: 'user.client-certificate-data',
    keyData: 'user.client-key-data', token: 'user.token', username: 'user.username', password: 'user.password',
  }, ['name']) ?? check('contexts', config.contexts, {
    name: 'name', cluster: 'context.cluster', user: 'context.user', namespace: 'context.namespace',
  }, ['name', 'cluster']);
}

/** client-node reads a list or a plain string as an empty kubeconfig; kubectl refuses both, and so do we. */
function isMapping(text: string): boolean {
  try {
    const document = YAML.parse(text, { ...QUIET_YAML, uniqueKeys: false });
    return typeof document === 'object' && document !== null && !Array.isArray(document);
  } catch {
    return true; // client-node parsed it; its verdict stands
  }
}

function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
