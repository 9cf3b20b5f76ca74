// The test cluster's certificates, made with openssl in the run directory: a CA, the API server's serving
// certificate, one client certificate per user, and the service-account signing key pair.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function openssl(cwd, ...args) {
  try {
    await run('openssl', args, { cwd });
  } catch (error) {
    throw new Error(`openssl ${args[0]} failed in ${cwd}: ${error.stderr || error.message}`, { cause: error });
  }
}

async function signedCertificate(dir, name, subject, extensions) {
  await openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  const extensionArgs = [];
  if (extensions) {
    await fs.writeFile(path.join(dir, `${name}.ext`), extensions);
    extensionArgs.push('-extfile', `${name}.ext`);
  }
  await openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', `${name}.crt`, '-days', '30', ...extensionArgs);
  return { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
}

/**
 * Creates `dir` with every key and certificate the cluster needs. `users` maps a file name to the
 * certificate subject, e.g. `{ admin: '/O=system:masters/CN=admin' }`.
 */
export async function createPki(dir, users) {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
    '-days', '30', '-subj', '/CN=driftline-test-ca');
  const serving = await signedCertificate(dir, 'serving', '/CN=kube-apiserver',
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1\n');
  const clients = {};
  for (const [name, subject] of Object.entries(users)) clients[name] = await signedCertificate(dir, name, subject);
  await openssl(dir, 'genrsa', '-out', 'sa.key', '2048');
  await openssl(dir, 'rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
  return {
    ca: path.join(dir, 'ca.crt'),
    serving,
    clients,
    serviceAccountKey: path.join(dir, 'sa.key'),
    serviceAccountPublicKey: path.join(dir, 'sa.pub'),
  };
}
