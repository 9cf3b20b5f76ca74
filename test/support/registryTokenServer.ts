// The token service of a registry with `auth: token` (how ghcr.io, Docker Hub and Harbor work): the registry
// answers 401 `Bearer realm=...,service=...,scope=...`, the client asks this realm for a token with the user's
// login, and the registry checks the token's signature against the certificate it was given. A real RS256 JWT
// signed with a key made by openssl, carrying the certificate in `x5c` as distribution verifies it. Given an
// identity token, it also grants the OAuth2 refresh-token POST of the distribution token spec for that token.
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
  /** What each token request carried: its Authorization header, or the grant and refresh token of its POSTed form. */
  requests: { method?: string; authorization?: string; grantType?: string; refreshToken?: string }[];
  stop(): Promise<void>;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A token service on 127.0.0.1 that grants what is asked to `user:password` only, or to the POST of `identityToken`. */
export async function startTokenServer(folder: string, login: string, identityToken?: string): Promise<TokenServer> {
  const keyFile = path.join(folder, 'token.key');
  const certFile = path.join(folder, 'token.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=driftline-token', '-days', '1'], { stdio: 'pipe' });
  const key = await fs.readFile(keyFile, 'utf8');
  const der = (await fs.readFile(certFile, 'utf8')).replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const service = 'driftline-registry';
  const issuer = 'driftline-token-issuer';
  const expected = `Basic ${Buffer.from(login).toString('base64')}`;
  const requests: TokenServer['requests'] = [];
  const answer = (request: http.IncomingMessage, response: http.ServerResponse, body: string) => {
    const form = request.method === 'POST' ? new URLSearchParams(body) : undefined;
    requests.push({
      method: request.method, ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      ...(form ? { grantType: form.get('grant_type') ?? '', refreshToken: form.get('refresh_token') ?? '' } : {}),
    });
    const granted = form
      ? identityToken !== undefined && form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === identityToken
      : request.headers.authorization === expected;
    if (!granted) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"wrong login"}');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://x');
    const asked = form ?? url.searchParams;
    const access = asked.getAll('scope').map((scope) => {
      const [type, name, actions] = scope.split(':');
      return { type, name, actions: (actions ?? '').split(',') };
    });
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der] }));
    const claims = base64url(JSON.stringify({
      iss: issuer, sub: login.split(':')[0], aud: asked.get('service'), exp: now + 300, nbf: now - 10, iat: now,
      jti: randomBytes(8).toString('hex'), access,
    }));
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key).toString('base64url');
    const token = `${header}.${claims}.${signature}`;
    // The OAuth2 answer has access_token only; the GET answer both.
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(form ? { access_token: token, expires_in: 300 } : { token, access_token: token, expires_in: 300 }));
  };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    request.on('end', () => answer(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`, service, issuer, certFile, requests,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
