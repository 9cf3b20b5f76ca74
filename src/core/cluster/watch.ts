// A watch on one kind (in one namespace or cluster-wide): newline-delimited JSON events streamed from the
// server. The caller re-lists and re-watches when `done` settles: the server ends watches after a while,
// and answers an outdated resourceVersion with an ERROR event (410 Gone), which rejects `done`.
import type { KubeObject } from '../model';
import { errorFromResponse, unreachableError, type FailedCall } from './errors';
import type { Transport } from './transport';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: KubeObject;
}

export interface WatchHandle {
  /** Ends the watch; `done` then resolves. */
  stop(): void;
  /** Resolves when the stream ends (stopped, or closed by the server); rejects with a ClusterError. */
  done: Promise<void>;
}

export async function openWatch(
  transport: Transport,
  path: string,
  query: Record<string, string | undefined>,
  call: FailedCall,
  onEvent: (event: WatchEvent) => void,
  /** Stops the watch, also while it is still being opened (a server that never answers is not waited for). */
  stop?: AbortSignal,
): Promise<WatchHandle> {
  const controller = new AbortController();
  if (stop?.aborted) controller.abort(stop.reason);
  else stop?.addEventListener('abort', () => controller.abort(stop.reason), { once: true });
  const response = await transport.stream({
    method: 'GET', path, call, query: { ...query, watch: 'true', allowWatchBookmarks: 'true' },
  }, controller.signal);
  const done = new Promise<void>((resolve, reject) => {
    let buffered = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        // Thrown inside a stream handler, an error would escape every caller: a bad line ends the watch instead.
        const event = parseEvent(line);
        if (typeof event === 'string') {
          controller.abort();
          reject(new Error(`watch ${path} (context "${transport.identity.context}"): the server sent ${event}`));
          return;
        }
        if (event.type === 'ERROR') {
          controller.abort();
          const code = (event.object as { code?: unknown } | null)?.code;
          reject(errorFromResponse(typeof code === 'number' && Number.isInteger(code) ? code : 500, event.object, transport.identity, call));
          return;
        }
        onEvent(event);
      }
    });
    response.on('end', resolve);
    response.on('error', (error: Error & { code?: string }) => {
      if (controller.signal.aborted) resolve();
      else reject(unreachableError(error, transport.identity, call));
    });
    response.on('close', resolve);
  });
  return { stop: () => controller.abort(), done };
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

/** One line of the stream as an event a watcher can read (an object with metadata; a name unless a bookmark), or what is wrong with it. */
function parseEvent(line: string): WatchEvent | { type: 'ERROR'; object: unknown } | string {
  let event: { type?: unknown; object?: unknown };
  try {
    event = JSON.parse(line);
  } catch {
    return 'a line that is not JSON';
  }
  if (!event || typeof event !== 'object') return 'a line that is not a watch event';
  if (event.type === 'ERROR') return { type: 'ERROR', object: event.object };
  if (typeof event.type !== 'string' || !EVENT_TYPES.has(event.type)) return `an event of unknown type ${JSON.stringify(event.type)?.slice(0, 40)}`;
  const object = event.object as KubeObject | null | undefined;
  if (!object || typeof object !== 'object' || Array.isArray(object) || !object.metadata || typeof object.metadata !== 'object') {
    return `a ${event.type} event without an object and its metadata`;
  }
  if (event.type !== 'BOOKMARK' && typeof object.metadata.name !== 'string') return `a ${event.type} event whose object has no name`;
  return { type: event.type as WatchEvent['type'], object };
}
