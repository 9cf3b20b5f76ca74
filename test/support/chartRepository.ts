// Helm chart repositories for tests: charts made and packaged by the real helm (`helm package`, `helm repo
// index`) in a temp folder, served by a plain Node HTTP server on loopback, optionally behind basic auth. The
// server records the Authorization header of every request (to prove where credentials went), can be told to
// stall a path (accept the request, never answer) and can be stopped and started again on the same port.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A chart whose one ConfigMap carries the chart version and the `greeting` value; `files` (path in the chart -> text) are added. */
export async function packageChart(folder: string, name: string, version: string, files: Record<string, string> = {}): Promise<string> {
  const chart = path.join(folder, 'src', `${name}-${version}`, name);
  await fs.mkdir(path.join(chart, 'templates'), { recursive: true });
  await fs.writeFile(path.join(chart, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: ${version}\n`);
  await fs.writeFile(path.join(chart, 'values.yaml'), 'greeting: hello\n');
  await fs.writeFile(path.join(chart, 'templates', 'configmap.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  version: {{ .Chart.Version | quote }}\n  greeting: {{ .Values.greeting | quote }}\n');
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(chart, file)), { recursive: true });
    await fs.writeFile(path.join(chart, file), text);
  }
  execFileSync('helm', ['package', chart, '--destination', folder], { stdio: 'pipe' });
  return path.join(folder, `${name}-${version}.tgz`);
}

export interface ChartServer {
  url: string;
  port: number;
  /** Authorization headers received, by request path. */
  authorizations: { path: string; authorization?: string }[];
  /** Paths whose requests are accepted and never answered. */
  stalled: Set<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** PEM key and certificate for an HTTPS server; `ca` makes it ask for a client certificate signed by that CA. */
export interface ServerTls {
  key: Buffer;
  cert: Buffer;
  ca?: Buffer;
}

/** Serves `folder` on 127.0.0.1 (a fresh port, or `port`), requiring `user:password` when given; over HTTPS with `tls`. */
export async function serveFolder(folder: string, options: { basicAuth?: string; host?: string; port?: number; tls?: ServerTls } = {}): Promise<ChartServer> {
  const authorizations: ChartServer['authorizations'] = [];
  const stalled = new Set<string>();
  const expected = options.basicAuth ? `Basic ${Buffer.from(options.basicAuth).toString('base64')}` : undefined;
  const host = options.host ?? '127.0.0.1';
  const handler: http.RequestListener = (request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    authorizations.push({ path: urlPath, ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}) });
    if (stalled.has(urlPath)) return; // never answered: the client's timeout must end it
    if (expected && request.headers.authorization !== expected) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="charts"' }).end('unauthorized');
      return;
    }
    const file = path.join(folder, urlPath);
    fs.readFile(file).then(
      (data) => response.writeHead(200).end(data),
      () => response.writeHead(404).end('not found'),
    );
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert, ...(options.tls.ca ? { ca: options.tls.ca, requestCert: true, rejectUnauthorized: true } : {}) }, handler)
    : http.createServer(handler);
  let port = options.port ?? 0;
  const handle: ChartServer = {
    url: '', port, authorizations, stalled,
    start: () => new Promise((resolve) => server.listen(port, host, () => {
      port = (server.address() as AddressInfo).port;
      handle.port = port;
      handle.url = `${options.tls ? 'https' : 'http'}://${host}:${port}`;
      resolve();
    })),
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  await handle.start();
  return handle;
}

/** A temp folder for a repository's files. */
export function tempFolder(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** `helm repo index` of `folder`: relative URLs, or absolute ones under `url`. */
export function indexFolder(folder: string, url?: string): void {
  execFileSync('helm', ['repo', 'index', folder, ...(url ? ['--url', url] : [])], { stdio: 'pipe' });
}
