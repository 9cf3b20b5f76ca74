// A real OCI registry for tests: Debian's docker-registry (the CNCF distribution registry) on 127.0.0.1 with a
// temp config and storage, optionally behind htpasswd auth; charts go in with the real `helm push`.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';
import { startTokenServer, type TokenServer } from './registryTokenServer';

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  /** The environment helm and Driftline read registry logins with (HELM_REGISTRY_CONFIG in a temp folder). */
  env: Record<string, string>;
  /** The token service of a registry started with `token`. */
  tokens?: TokenServer;
  /** `helm push <archive> oci://<host>/<repository>` (logged in first when the registry has auth). */
  push(archive: string, repository: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a registry; resolves once it says it is listening. `htpasswd` (`user:password`) puts it behind Basic
 * auth, `token` behind a token service granting that login (Bearer auth, as public registries do), and
 * `identityToken` too when given (the refresh token an identity-token login exchanges there). `tls` makes it
 * speak HTTPS only, with that certificate and key (and, with `clientCaFile`, ask clients for a certificate it signed).
 */
export async function startRegistry(options: { htpasswd?: string; token?: string; identityToken?: string; tls?: { certFile: string; keyFile: string; clientCaFile?: string } } = {}): Promise<TestRegistry> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = [
    'version: 0.1', 'log:', '  level: info', 'storage:', '  filesystem:', `    rootdirectory: ${path.join(folder, 'data')}`,
    'http:', `  addr: ${host}`,
    ...(options.tls ? ['  tls:', `    certificate: ${options.tls.certFile}`, `    key: ${options.tls.keyFile}`, ...(options.tls.clientCaFile ? ['    clientcas:', `      - ${options.tls.clientCaFile}`] : [])] : []),
  ];
  const env: Record<string, string> = { HOME: folder, HELM_REGISTRY_CONFIG: path.join(folder, 'registry', 'config.json') };
  if (options.htpasswd) {
    const [user, password] = options.htpasswd.split(':');
    await fs.writeFile(path.join(folder, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', user, password]));
    config.push('auth:', '  htpasswd:', '    realm: driftline-test', `    path: ${path.join(folder, 'htpasswd')}`);
  }
  const tokens = options.token ? await startTokenServer(folder, options.token, options.identityToken) : undefined;
  if (tokens) {
    config.push('auth:', '  token:', `    realm: ${tokens.realm}`, `    service: ${tokens.service}`, `    issuer: ${tokens.issuer}`,
      `    rootcertbundle: ${tokens.certFile}`);
  }
  await fs.writeFile(path.join(folder, 'config.yml'), `${config.join('\n')}\n`);
  const child = spawn('docker-registry', ['serve', path.join(folder, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  await listening(child, host);
  // Not execFileSync: a token service in this process must answer helm meanwhile.
  const helm = async (args: string[]) => { await promisify(execFile)('helm', args, { env: { ...process.env, ...env } }); };
  const login = options.htpasswd ?? options.token;
  if (login) {
    const [user, password] = login.split(':');
    await helm(['registry', 'login', host, '--username', user, '--password', password, '--insecure']);
  }
  return {
    host, env, ...(tokens ? { tokens } : {}),
    // helm speaks plain HTTP to 127.0.0.1 whatever it is told: over TLS it pushes through 0.0.0.0, the same listener.
    push: (archive, repository) => helm(['push', archive, `oci://${options.tls ? host.replace('127.0.0.1', '0.0.0.0') : host}/${repository}`,
      ...(options.tls ? ['--insecure-skip-tls-verify', ...(options.tls.clientCaFile ? ['--cert-file', options.tls.certFile, '--key-file', options.tls.keyFile] : [])] : ['--plain-http'])]),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      await tokens?.stop();
      await fs.rm(folder, { recursive: true, force: true });
    },
  };
}

/** Resolves when the registry logs that it listens on `host`; rejects with its output when it exits first. */
function listening(child: ChildProcess, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(`listening on ${host}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`docker-registry exited with ${code}: ${output}`)));
    child.once('error', reject);
  });
}
