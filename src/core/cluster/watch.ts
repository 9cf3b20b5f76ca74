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
        let event: { type: string; object: KubeObject & { code?: number } };
        try {
          event = JSON.parse(line);
        } catch {
          // Thrown inside a stream handler, a parse error would escape every caller: end the watch instead.
          controller.abort();
          reject(new Error(`watch ${path} (context "${transport.identity.context}"): the server sent a line that is not JSON`));
          return;
        }
        if (event.type === 'ERROR') {
          controller.abort();
          reject(errorFromResponse(event.object.code ?? 500, event.object, transport.identity, call));
          return;
        }
        onEvent(event as WatchEvent);
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
