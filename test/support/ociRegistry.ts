// A real OCI registry for tests: Debian's docker-registry (the CNCF distribution registry) on 127.0.0.1 with a
// temp config and storage, optionally behind htpasswd auth; charts go in with the real `helm push`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  /** The environment helm and Driftline read registry logins with (HELM_REGISTRY_CONFIG in a temp folder). */
  env: Record<string, string>;
  /** `helm push <archive> oci://<host>/<repository>` (logged in first when the registry has auth). */
  push(archive: string, repository: string): void;
  stop(): Promise<void>;
}

/** Starts a registry; resolves once it says it is listening. `htpasswd` is `user:password`. */
export async function startRegistry(options: { htpasswd?: string } = {}): Promise<TestRegistry> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = [
    'version: 0.1', 'log:', '  level: info', 'storage:', '  filesystem:', `    rootdirectory: ${path.join(folder, 'data')}`,
    'http:', `  addr: ${host}`,
  ];
  const env: Record<string, string> = { HOME: folder, HELM_REGISTRY_CONFIG: path.join(folder, 'registry', 'config.json') };
  if (options.htpasswd) {
    const [user, password] = options.htpasswd.split(':');
    await fs.writeFile(path.join(folder, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', user, password]));
    config.push('auth:', '  htpasswd:', '    realm: driftline-test', `    path: ${path.join(folder, 'htpasswd')}`);
  }
  await fs.writeFile(path.join(folder, 'config.yml'), `${config.join('\n')}\n`);
  const child = spawn('docker-registry', ['serve', path.join(folder, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  await listening(child, host);
  const helm = (args: string[]) => execFileSync('helm', args, { env: { ...process.env, ...env }, stdio: 'pipe' });
  if (options.htpasswd) {
    const [user, password] = options.htpasswd.split(':');
    helm(['registry', 'login', host, '--username', user, '--password', password, '--insecure']);
  }
  return {
    host, env,
    push: (archive, repository) => { helm(['push', archive, `oci://${host}/${repository}`, '--plain-http']); },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
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
