// Minimal HTTPS calls as the cluster admin, for the harness itself (readiness, version, RBAC setup), so that
// starting a cluster needs neither kubectl nor a build of the TypeScript sources.
import fs from 'node:fs';
import https from 'node:https';

export function adminApi(server, pki) {
  const tls = {
    ca: fs.readFileSync(pki.ca),
    cert: fs.readFileSync(pki.clients.admin.cert),
    key: fs.readFileSync(pki.clients.admin.key),
  };
  function request(method, path, body) {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(`${server}${path}`, {
        method, ...tls, timeout: 5000,
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { text += chunk; });
        res.on('end', () => resolve({ status: res.statusCode, text }));
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
  return {
    request,
    /** Creates an object; an existing one is fine (AlreadyExists), any other refusal throws. */
    async create(path, object) {
      const { status, text } = await request('POST', path, object);
      if (status !== 201 && status !== 409) {
        throw new Error(`creating ${object.kind} ${object.metadata.name} failed: HTTP ${status} ${text}`);
      }
    },
  };
}
