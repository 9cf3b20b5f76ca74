// Cancellation: one AbortSignal goes from the command (Ctrl-C in the CLI, Stop in the view) down to every await
// that can take long (a tool process, a queue for a slot, discovery's renders). An aborted operation rejects
// with the signal's reason, an AbortError, at once; it never turns into a result (an app "Unknown: aborted").

/** What an aborted signal rejects with: its reason when that is an error, else an AbortError. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException(reason === undefined ? 'This operation was aborted' : String(reason), 'AbortError');
}

/** An AbortError (or TimeoutError from AbortSignal.timeout) thrown because a signal aborted. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** True when `error` is why the work stopped: the signal aborted, or the error says it was aborted. */
export function stoppedBy(error: unknown, signal: AbortSignal | undefined): boolean {
  return !!signal?.aborted || isAbortError(error);
}

/** `promise`, or a rejection with the abort reason as soon as `signal` aborts (the work itself goes on). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}

/**
 * One piece of work that several callers wait for (the engine's discovery of the repo). It is stopped when
 * every caller waiting on it has aborted: a caller that aborts leaves at once, the work goes on for the others.
 * A caller without a signal keeps it running to the end.
 */
export class SharedWork<T> {
  readonly promise: Promise<T>;
  private readonly controller = new AbortController();
  private waiting = 0;
  private pinned = false;
  private settled = false;

  constructor(work: (signal: AbortSignal) => Promise<T>, private readonly onStopped?: () => void) {
    this.promise = work(this.controller.signal);
    // Before any waiter's handlers: a waiter that aborts after the work settled never stops it. A rejection
    // reaches the callers that wait, not the process.
    this.promise.then(() => { this.settled = true; }, () => { this.settled = true; });
  }

  /** True once every waiter left and the work was told to stop: start another for the next caller. */
  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  wait(signal?: AbortSignal): Promise<T> {
    if (!signal) {
      this.pinned = true;
      return this.promise;
    }
    this.waiting += 1;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      signal.removeEventListener('abort', leave);
      this.waiting -= 1;
      if (signal.aborted && this.waiting === 0 && !this.pinned && !this.settled && !this.stopped) {
        this.controller.abort(abortReason(signal));
        this.onStopped?.();
      }
    };
    const waited = untilAborted(this.promise, signal);
    waited.then(leave, leave);
    if (signal.aborted) leave();
    else signal.addEventListener('abort', leave, { once: true });
    return waited;
  }
}
