// A certificate authority of its own for tests, made with the real openssl: a CA, a server certificate for
// 127.0.0.1 and a client certificate, all signed by it, written as PEM files in a temp folder.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificates {
  folder: string;
  caFile: string;
  serverKeyFile: string;
  serverCertFile: string;
  clientKeyFile: string;
  clientCertFile: string;
}

const openssl = (cwd: string, ...args: string[]) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

export async function makeCertificates(): Promise<TestCertificates> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-certs-'));
  openssl(folder, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Driftline test CA');
  await fs.writeFile(path.join(folder, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const [name, extensions] of [['server', ['-extfile', 'server.ext']], ['client', []]] as const) {
    openssl(folder, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=driftline-${name}`);
    openssl(folder, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', ...extensions);
  }
  const file = (name: string) => path.join(folder, name);
  return {
    folder, caFile: file('ca.crt'), serverKeyFile: file('server.key'), serverCertFile: file('server.crt'),
    clientKeyFile: file('client.key'), clientCertFile: file('client.crt'),
  };
}
