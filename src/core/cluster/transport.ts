// HTTPS requests to one cluster, authenticated by client-node's KubeConfig (certificates, tokens, exec and
// auth-provider plugins), with JSON bodies passed through untouched. We do not use client-node's typed API
// objects here: they re-serialize known kinds through their models, which drops fields the model does not
// know and turns timestamps into Dates, and a drift tool must see and send objects exactly as written.
import type { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { abortReason } from '../abort';
import type { CallerIdentity, ClusterError, FailedCall } from './errors';
import { configError, errorFromResponse, unreachableError } from './errors';

export interface TransportOptions {
  /**
   * Whole-request limit (default 30 s), from sending the request to the last byte of the answer, so a hung
   * server (or one that stops halfway through a big LIST) fails a refresh instead of stalling it.
   */
  timeoutMs?: number;
  /** Limit for establishing the connection (default 5 s): an unreachable cluster fails in seconds. */
  connectTimeoutMs?: number;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  call: FailedCall;
  /** Aborts the request at once (its connection is closed); it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export class Transport {
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private agent?: { tls: TlsMaterial; agent: http.Agent };

  constructor(private readonly kubeConfig: KubeConfig, readonly identity: CallerIdentity, options: TransportOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  }

  /** Sends one request; resolves the parsed JSON answer, rejects with a ClusterError (or the abort reason). */
  async json<T>(spec: RequestSpec): Promise<T> {
    spec.signal?.throwIfAborted();
    const deadline = Date.now() + this.timeoutMs;
    const response = await this.open(spec, this.timeoutMs, spec.signal);
    let text: string;
    try {
      text = await readAll(response, {
        timeoutMs: Math.max(1, deadline - Date.now()), timeoutMessage: `the answer did not finish within ${this.timeoutMs / 1000} s`, signal: spec.signal,
      });
    } catch (error) {
      if (spec.signal?.aborted) throw abortReason(spec.signal);
      throw unreachableError(error as Error, this.identity, spec.call);
    }
    const body = parseJson(text);
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) throw errorFromResponse(status, body ?? text, this.identity, spec.call);
    return body as T;
  }

  /** Opens a streaming request (watch): resolves once the server answered 2xx; no overall time limit. */
  async stream(spec: RequestSpec, signal: AbortSignal): Promise<http.IncomingMessage> {
    const response = await this.open(spec, undefined, signal, true);
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const text = await readAll(response);
      throw errorFromResponse(status, parseJson(text) ?? text, this.identity, spec.call);
    }
    return response;
  }

  private async open(spec: RequestSpec, timeoutMs: number | undefined, signal?: AbortSignal, streaming = false): Promise<http.IncomingMessage> {
    const options = await this.requestOptions(spec, streaming);
    signal?.throwIfAborted();
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const url = new URL(this.identity.server.replace(/\/+$/, '') + spec.path);
    for (const [name, value] of Object.entries(spec.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    return new Promise((resolve, reject) => {
      const fail = (error: Error & { code?: string }) => {
        if (signal?.aborted) reject(abortReason(signal));
        else reject(isClusterError(error) ? error : unreachableError(error, this.identity, spec.call));
      };
      const request = (url.protocol === 'http:' ? http : https).request(url, {
        ...options,
        method: spec.method,
        signal,
        headers: {
          ...options.headers,
          accept: 'application/json',
          ...(payload !== undefined ? { 'content-type': spec.contentType ?? 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      }, resolve);
      request.on('error', fail);
      const timers: NodeJS.Timeout[] = [];
      const clear = () => timers.forEach(clearTimeout);
      request.on('response', clear);
      request.on('close', clear);
      if (timeoutMs) {
        timers.push(setTimeout(() => request.destroy(timeoutError(`no answer within ${timeoutMs / 1000} s`)), timeoutMs));
      }
      request.on('socket', (socket) => {
        if (!socket.connecting) return; // a kept-alive connection
        // Connected means the TLS handshake is done too: a port that accepts but never speaks TLS is as unusable.
        const connectTimer = setTimeout(() => request.destroy(timeoutError(`could not connect within ${this.connectTimeoutMs / 1000} s`)), this.connectTimeoutMs);
        timers.push(connectTimer);
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      });
      request.end(payload);
    });
  }

  /**
   * TLS material and auth headers from the KubeConfig, with one keep-alive agent per set of TLS material.
   * A stream (watch) gets a connection of its own: it holds its socket for minutes, and in the shared agent
   * (16 sockets) a few watches would leave LISTs and dry-runs queued behind them.
   */
  private async requestOptions(spec: RequestSpec, streaming: boolean): Promise<https.RequestOptions> {
    const options: https.RequestOptions = {};
    try {
      await this.kubeConfig.applyToHTTPSOptions(options);
    } catch (error) {
      throw configError(`cannot prepare credentials: ${(error as Error).message}`, this.identity, spec.call);
    }
    // A proxy agent (cluster proxy-url) must stay as client-node built it.
    if (this.kubeConfig.getCurrentCluster()?.proxyUrl) return options;
    if (streaming) return { ...options, agent: false };
    const tls = {
      ca: options.ca, cert: options.cert, key: options.key,
      rejectUnauthorized: options.rejectUnauthorized, servername: options.servername,
    };
    if (!this.agent || !sameTlsMaterial(this.agent.tls, tls)) {
      this.agent?.agent.destroy();
      this.agent = { tls, agent: new https.Agent({ ...tls, keepAlive: true, maxSockets: 16 }) };
    }
    return { ...options, agent: this.agent.agent };
  }

  /** Closes idle keep-alive connections (lets a CLI process exit at once). */
  close(): void {
    this.agent?.agent.destroy();
    this.agent = undefined;
  }
}

type TlsMaterial = Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'>;

/** Compared field by field on every request (certificates are Buffers: hashing their JSON was most of a request's CPU). */
function sameTlsMaterial(a: TlsMaterial, b: TlsMaterial): boolean {
  const same = (x: unknown, y: unknown): boolean => x === y || (Buffer.isBuffer(x) && Buffer.isBuffer(y) && x.equals(y)) ||
    (Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((item, index) => same(item, y[index])));
  return same(a.ca, b.ca) && same(a.cert, b.cert) && same(a.key, b.key) && a.rejectUnauthorized === b.rejectUnauthorized && a.servername === b.servername;
}

function timeoutError(message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code: 'ETIMEDOUT' });
}

function isClusterError(error: unknown): error is ClusterError {
  return error instanceof Error && error.name === 'ClusterError';
}

/**
 * The answer's body as text. With `timeoutMs`, a body that has not ended by then (a server or network that
 * stalls after the headers) destroys the response; with `signal`, an abort does.
 */
function readAll(response: http.IncomingMessage, limits: { timeoutMs?: number; timeoutMessage?: string; signal?: AbortSignal } = {}): Promise<string> {
  const { timeoutMs, signal } = limits;
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = timeoutMs === undefined ? undefined
      : setTimeout(() => response.destroy(timeoutError(limits.timeoutMessage ?? `the answer did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
    const onAbort = () => response.destroy(signal ? abortReason(signal) : undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => { text += chunk; });
    response.on('end', () => { settle(); resolve(text); });
    response.on('error', (error) => { settle(); reject(error); });
    response.on('close', () => {
      settle();
      if (!response.complete) reject(new Error('the connection closed before the answer was complete'));
    });
  });
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
