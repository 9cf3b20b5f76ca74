// One GET of a source (an index.yaml, a chart archive, a registry manifest or blob; or the POST of a form to a
// registry's token service) with a time limit and the caller's signal. Redirects are followed here rather than by fetch so that a credential meant for one host is
// dropped as soon as a redirect leads elsewhere (registries send blobs to storage hosts, chart repositories to
// CDNs): a user's password never reaches a host it is not for.
import { abortReason } from '../abort';
import { SourceError } from './sourceError';
import { TlsFileError, tlsGet, type RawAnswer, type TlsSettings } from './tlsGet';

export interface HttpGetOptions {
  headers?: Record<string, string>;
  /** Sent only to `credentialHost` (`host:port` of the URL it was configured for). */
  authorization?: string;
  credentialHost?: string;
  signal?: AbortSignal;
  /** Longest the whole request may take, body included (default 60 s). */
  timeoutMs?: number;
  /** The user's TLS settings for one host (a CA, a client certificate, no verification). */
  tls?: TlsSettings;
  /** POSTed as `application/x-www-form-urlencoded` instead of a GET (an OAuth2 token request). */
  form?: Record<string, string>;
  /** What to do about a certificate that is not trusted ("give its CA as caFile in ..."), added to that error. */
  untrustedHint?: string;
}

export interface HttpAnswer {
  method: 'GET' | 'POST';
  /** The URL that answered (after redirects). */
  url: string;
  status: number;
  statusText: string;
  headers: Headers;
  body: Buffer;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 10;
/** Node's codes for a server certificate that cannot be verified. */
const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const CONNECTION_ERRORS: Record<string, string> = {
  ENOTFOUND: 'host not found (ENOTFOUND)', ECONNREFUSED: 'connection refused (ECONNREFUSED)', ECONNRESET: 'connection reset (ECONNRESET)',
  EAI_AGAIN: 'host name lookup failed (EAI_AGAIN)', UND_ERR_SOCKET: 'the server closed the connection',
};

/** A URL as messages show it: without a `user:password@` it may carry. */
export function shownURL(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/** The answer whatever its status; rejects only when no answer came (timeout, connection error) or the signal aborted. */
export async function httpGet(url: string, options: HttpGetOptions = {}): Promise<HttpAnswer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const method = options.form ? 'POST' : 'GET';
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let current = url;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.authorization && new URL(current).host === options.credentialHost) headers.authorization = options.authorization;
      const response = await sendOnce(current, headers, signal, options);
      const location = response.headers.get('location');
      // A form is not sent on after a redirect: it may hold a token meant for this host only.
      if (response.status >= 300 && response.status < 400 && location && !options.form) {
        current = new URL(location, current).toString();
        continue;
      }
      return { method, url: current, ...response };
    }
    throw new SourceError(`${method} ${shownURL(url)}: more than ${MAX_REDIRECTS} redirects`, shownURL(url));
  } catch (error) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    if (timeout.aborted) throw new SourceError(`${method} ${shownURL(current)}: no complete answer within ${timeoutMs / 1000} s`, shownURL(current));
    if (error instanceof SourceError) throw error;
    if (error instanceof TlsFileError) throw new SourceError(`${method} ${shownURL(current)}: ${error.message}`, shownURL(current));
    const cause = (error as { cause?: { code?: string; message?: string } }).cause ?? (error as { code?: string; message?: string });
    if (cause.code && UNTRUSTED_CERTIFICATE.has(cause.code)) {
      const hint = options.untrustedHint ? `: ${options.untrustedHint}` : '';
      throw new SourceError(`${method} ${shownURL(current)}: the server's certificate is not trusted (${cause.code}: ${cause.message})${hint}`, shownURL(current));
    }
    const why = (cause?.code && CONNECTION_ERRORS[cause.code]) ?? cause?.message ?? (error as Error).message;
    throw new SourceError(`${method} ${shownURL(current)}: ${why}`, shownURL(current));
  }
}

/** One request, no redirect followed: with the user's TLS settings when they are for this host, else with fetch. */
async function sendOnce(url: string, headers: Record<string, string>, signal: AbortSignal, options: HttpGetOptions): Promise<RawAnswer> {
  const parsed = new URL(url);
  const { tls, form } = options;
  if (!form && tls && parsed.protocol === 'https:' && parsed.host === tls.host) return tlsGet(url, headers, tls, signal);
  const response = await fetch(url, {
    headers, redirect: 'manual', signal, ...(form ? { method: 'POST', body: new URLSearchParams(form) } : {}),
  });
  if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
    await response.body?.cancel();
    return { status: response.status, statusText: response.statusText, headers: response.headers, body: Buffer.alloc(0) };
  }
  return { status: response.status, statusText: response.statusText, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** `GET <url>: HTTP 404 Not Found` (or POST), with what a 401/403 means for the credentials used. */
export function httpFailure(answer: HttpAnswer, credentialsNote?: string): SourceError {
  const refused = answer.status === 401 || answer.status === 403;
  const note = refused && credentialsNote ? ` (${credentialsNote})` : '';
  return new SourceError(`${answer.method} ${shownURL(answer.url)}: HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}${note}`, shownURL(answer.url), answer.status);
}
