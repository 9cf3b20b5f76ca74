// One HTTPS request with TLS settings of the user's own tools (helm's repositories.yaml `caFile`, `certFile`,
// `keyFile`, `insecure_skip_tls_verify`; docker's certs.d), which Node's fetch cannot take: made with node:https, answered in the
// shape fetch gives, so httpGet follows redirects and reads statuses the same way for both.
import { promises as fs } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';

/** TLS settings for one host, as a repository entry configures them. */
export interface TlsSettings {
  /** `host:port` they are for: a redirect elsewhere gets the defaults (a client certificate is a credential). */
  host: string;
  /** CA roots: one file (helm's caFile) or several (docker's certs.d `*.crt`). */
  caFile?: string | string[];
  /** The CA roots are added to the system's (docker's certs.d) rather than replace them (helm's caFile). */
  withSystemRoots?: boolean;
  certFile?: string;
  keyFile?: string;
  /** `insecure_skip_tls_verify`: the server's certificate is not checked. */
  insecureSkipVerify?: boolean;
  /** Where they are configured, for messages. */
  file: string;
}

/** A CA, certificate or key file the user's settings name that cannot be read: its message is the one to show. */
export class TlsFileError extends Error {}

export interface RawAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  body: Buffer;
}

async function readPem(file: string | undefined, what: string, settings: TlsSettings): Promise<Buffer | undefined> {
  if (!file) return undefined;
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new TlsFileError(`cannot read the ${what} ${file} (${settings.file}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

async function caRoots(settings: TlsSettings): Promise<(string | Buffer)[] | undefined> {
  const files = typeof settings.caFile === 'string' ? [settings.caFile] : settings.caFile ?? [];
  if (files.length === 0) return undefined;
  const read = await Promise.all(files.map((file) => readPem(file, 'CA file', settings)));
  const roots = read.filter((pem): pem is Buffer => pem !== undefined);
  return settings.withSystemRoots ? [...tls.rootCertificates, ...roots] : roots;
}

export async function tlsGet(url: string, headers: Record<string, string>, settings: TlsSettings, signal: AbortSignal): Promise<RawAnswer> {
  const [ca, cert, key] = await Promise.all([
    caRoots(settings), readPem(settings.certFile, 'certificate file', settings), readPem(settings.keyFile, 'key file', settings),
  ]);
  return new Promise<RawAnswer>((resolve, reject) => {
    const request = https.get(url, { headers, signal, ca, cert, key, rejectUnauthorized: !settings.insecureSkipVerify }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) answerHeaders.append(name, one);
        }
        resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: answerHeaders, body: Buffer.concat(chunks) });
      });
    });
    request.on('error', reject);
  });
}
