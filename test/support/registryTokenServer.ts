// The token service of a registry with `auth: token` (how ghcr.io, Docker Hub and Harbor work): the registry
// answers 401 `Bearer realm=...,service=...,scope=...`, the client asks this realm for a token with the user's
// login, and the registry checks the token's signature against the certificate it was given. A real RS256 JWT
// signed with a key made by openssl, carrying the certificate in `x5c` as distribution verifies it.
import { execFileSync } from 'node:child_process';
import { createSign, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certFile: string;
  /** Authorization headers the token requests carried. */
  requests: { authorization?: string }[];
  stop(): Promise<void>;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A token service on 127.0.0.1 that grants what is asked to `user:password` only. */
export async function startTokenServer(folder: string, login: string): Promise<TokenServer> {
  const keyFile = path.join(folder, 'token.key');
  const certFile = path.join(folder, 'token.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=driftline-token', '-days', '1'], { stdio: 'pipe' });
  const key = await fs.readFile(keyFile, 'utf8');
  const der = (await fs.readFile(certFile, 'utf8')).replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const service = 'driftline-registry';
  const issuer = 'driftline-token-issuer';
  const expected = `Basic ${Buffer.from(login).toString('base64')}`;
  const requests: TokenServer['requests'] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.headers.authorization ? { authorization: request.headers.authorization } : {});
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"wrong login"}');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://x');
    const access = url.searchParams.getAll('scope').map((scope) => {
      const [type, name, actions] = scope.split(':');
      return { type, name, actions: (actions ?? '').split(',') };
    });
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der] }));
    const claims = base64url(JSON.stringify({
      iss: issuer, sub: login.split(':')[0], aud: url.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now,
      jti: randomBytes(8).toString('hex'), access,
    }));
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key).toString('base64url');
    const token = `${header}.${claims}.${signature}`;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`, service, issuer, certFile, requests,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
