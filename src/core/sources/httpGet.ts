// One GET of a source (an index.yaml, a chart archive, a registry manifest or blob) with a time limit and the
// caller's signal. Redirects are followed here rather than by fetch so that a credential meant for one host is
// dropped as soon as a redirect leads elsewhere (registries send blobs to storage hosts, chart repositories to
// CDNs): a user's password never reaches a host it is not for.
import { abortReason } from '../abort';
import { SourceError } from './sourceError';

export interface HttpGetOptions {
  headers?: Record<string, string>;
  /** Sent only to `credentialHost` (`host:port` of the URL it was configured for). */
  authorization?: string;
  credentialHost?: string;
  signal?: AbortSignal;
  /** Longest the whole request may take, body included (default 60 s). */
  timeoutMs?: number;
}

export interface HttpAnswer {
  /** The URL that answered (after redirects). */
  url: string;
  status: number;
  statusText: string;
  headers: Headers;
  body: Buffer;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 10;
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
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let current = url;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.authorization && new URL(current).host === options.credentialHost) headers.authorization = options.authorization;
      const response = await fetch(current, { headers, redirect: 'manual', signal });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current).toString();
        continue;
      }
      const body = Buffer.from(await response.arrayBuffer());
      return { url: current, status: response.status, statusText: response.statusText, headers: response.headers, body };
    }
    throw new SourceError(`GET ${shownURL(url)}: more than ${MAX_REDIRECTS} redirects`, shownURL(url));
  } catch (error) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    if (timeout.aborted) throw new SourceError(`GET ${shownURL(current)}: no complete answer within ${timeoutMs / 1000} s`, shownURL(current));
    if (error instanceof SourceError) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = (cause?.code && CONNECTION_ERRORS[cause.code]) ?? cause?.message ?? (error as Error).message;
    throw new SourceError(`GET ${shownURL(current)}: ${why}`, shownURL(current));
  }
}

/** `GET <url>: HTTP 404 Not Found`, with what a 401/403 means for the credentials used. */
export function httpFailure(answer: HttpAnswer, credentialsNote?: string): SourceError {
  const refused = answer.status === 401 || answer.status === 403;
  const note = refused && credentialsNote ? ` (${credentialsNote})` : '';
  return new SourceError(`GET ${shownURL(answer.url)}: HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}${note}`, shownURL(answer.url), answer.status);
}
