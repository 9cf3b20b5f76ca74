// Following a controller after a request: poll its object until its status says the request was handled,
// with progress, cancellation and a timeout that tells the user what to check.
import { describeRef, type KubeObject, type ObjectRef } from '../../model';
import { sleep } from '../../sleep';
import type { SyncClient } from '../client';
import { SyncError } from '../errors';

export interface FollowOptions {
  signal?: AbortSignal;
  /** Give up after this long (default 5 minutes). */
  timeoutMs?: number;
  /** Time between reads (default 2 s). */
  intervalMs?: number;
  /** The controller's current words (its Ready message or operation message), as they change. */
  onProgress?: (message: string) => void;
}

export interface Handled {
  outcome: 'Succeeded' | 'Failed';
  message: string;
}

export interface Watched {
  ref: ObjectRef;
  /** Who should have handled it, for the timeout message (`kustomize-controller`, ...). */
  controllerName: string;
  /** The outcome once the status shows the request handled, else undefined. */
  handled(object: KubeObject): Handled | undefined;
  /** What the status says meanwhile. */
  progress(object: KubeObject): string;
}

export async function followUntilHandled(client: SyncClient, watched: Watched, requestedAt: string, options: FollowOptions = {}): Promise<Handled> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const intervalMs = options.intervalMs ?? 2_000;
  const deadline = Date.now() + timeoutMs;
  const name = describeRef(watched.ref);
  let lastProgress = '';
  for (;;) {
    if (options.signal?.aborted) {
      throw new SyncError(`Stopped following ${name}; the request of ${requestedAt} stays and ${watched.controllerName} will still handle it.`);
    }
    const object = await client.get(watched.ref);
    if (!object) throw new SyncError(`${name} was deleted while Driftline was following it`);
    const handled = watched.handled(object);
    if (handled) return handled;
    const progress = watched.progress(object);
    if (progress !== lastProgress) options.onProgress?.(progress);
    lastProgress = progress;
    if (Date.now() >= deadline) {
      throw new SyncError(
        `${name} did not report handling the request of ${requestedAt} within ${Math.round(timeoutMs / 1000)} s: ` +
          `is ${watched.controllerName} running in this cluster? Last status: ${lastProgress || 'none'}.`,
      );
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())), options.signal);
  }
}
