// A bound on how many requests run at once, so a big repo does not open hundreds of dry-runs against a server.
import { abortReason } from './abort';

/** Runs `work` on every item with at most `limit` in flight; results keep the input order. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      signal?.throwIfAborted();
      const index = next++;
      results[index] = await work(items[index], index);
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}

/**
 * At most `limit` runs at once; the others wait their turn in arrival order. A waiter whose signal aborts
 * leaves the queue at once (rejecting with the abort reason) and never takes a slot.
 */
export class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<R>(work: () => Promise<R>, signal?: AbortSignal): Promise<R> {
    signal?.throwIfAborted();
    if (this.active < this.limit) this.active++;
    else await this.turn(signal);
    try {
      signal?.throwIfAborted();
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes on
      else this.active--;
    }
  }

  /** Resolves when a finishing run hands this waiter its slot; rejects (and leaves the queue) on abort. */
  private turn(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const granted = () => {
        signal?.removeEventListener('abort', leave);
        resolve();
      };
      const leave = () => {
        const index = this.waiting.indexOf(granted);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(abortReason(signal!));
      };
      this.waiting.push(granted);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }
}
