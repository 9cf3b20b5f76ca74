// TLS settings for an OCI registry where docker and podman keep them: a folder named after the registry
// (`host:port`) under certs.d, whose `*.crt` files are CA roots added to the system's and whose `*.cert` +
// `*.key` pair is the client certificate. helm's registry commands take such files only as flags, so the
// certs.d folders the user's container tools already read are what Driftline reads too.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TlsSettings } from './tlsGet';

type Env = Record<string, string | undefined>;

/** The certs.d folders, in the order they are consulted: the user's own (rootless docker, podman), then the system's. */
export function certsDirectories(env: Env = process.env): string[] {
  const config = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return [path.join(config, 'docker', 'certs.d'), '/etc/docker/certs.d', path.join(config, 'containers', 'certs.d'), '/etc/containers/certs.d'];
}

/** The certs.d settings for `host` (`host:port`), from the first certs.d folder that has one for it; undefined when none has. */
export async function registryTls(host: string, env: Env = process.env): Promise<TlsSettings | undefined> {
  for (const directory of certsDirectories(env)) {
    const folder = path.join(directory, host);
    let files: string[];
    try {
      files = (await fs.readdir(folder)).sort();
    } catch {
      continue;
    }
    const inFolder = (name: string) => path.join(folder, name);
    const caFiles = files.filter((name) => name.endsWith('.crt')).map(inFolder);
    const cert = files.find((name) => name.endsWith('.cert'));
    const key = cert && files.find((name) => name === `${cert.slice(0, -'.cert'.length)}.key`);
    if (cert && !key) throw new Error(`${inFolder(cert)} has no ${cert.slice(0, -'.cert'.length)}.key beside it (docker's certs.d pairs a client certificate with its key)`);
    return {
      host, file: folder, withSystemRoots: true,
      ...(caFiles.length ? { caFile: caFiles } : {}),
      ...(cert && key ? { certFile: inFolder(cert), keyFile: inFolder(key) } : {}),
    };
  }
  return undefined;
}
