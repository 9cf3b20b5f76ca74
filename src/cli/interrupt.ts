// Ctrl-C (and SIGTERM, SIGHUP) in the CLI. A command that can stop cleanly runs its work through
// `withInterrupt`: the first signal aborts its AbortSignal (tool processes are killed, requests stop, nothing is
// left half-written) and the command ends at once; a second signal exits on the spot. A command that takes no
// signal is ended right away by `process.exit`, whose exit hook still kills the tool processes it started
// (they run in process groups of their own, which a terminal's Ctrl-C does not reach).
import { isAbortError } from '../core/abort';
import type { CliIO } from './io';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof SIGNALS)[number];
const SIGNAL_NUMBERS: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The usual exit status of a process a signal stopped: 128 + the signal's number (130 for Ctrl-C). */
export const exitCodeOf = (signal: StopSignal): number => 128 + SIGNAL_NUMBERS[signal];

/** Why a command stopped: the user interrupted it. An AbortError, so every layer treats it as a cancellation. */
export class InterruptedError extends Error {
  override readonly name = 'AbortError';
  constructor(readonly signal: StopSignal) {
    super(`interrupted (${signal})`);
  }
}

const running = new Set<AbortController>();
let installed = false;
let interrupted: StopSignal | undefined;

function onSignal(signal: StopSignal): void {
  if (interrupted || running.size === 0) process.exit(exitCodeOf(interrupted ?? signal));
  interrupted = signal;
  for (const controller of running) controller.abort(new InterruptedError(signal));
}

/** For the `driftline` process itself (not for in-process callers): the signals stop the running command. */
export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) process.on(signal, () => onSignal(signal));
}

/** Runs `work` with a signal that the first Ctrl-C aborts. */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  running.add(controller);
  // Called in-process (tests, a script importing the CLI) without the process's handlers: Ctrl-C still aborts.
  const onInterrupt = () => controller.abort(new InterruptedError('SIGINT'));
  if (!installed) process.once('SIGINT', onInterrupt);
  try {
    return await work(controller.signal);
  } finally {
    running.delete(controller);
    if (!installed) process.off('SIGINT', onInterrupt);
  }
}

/**
 * A command's work with Ctrl-C wired to its signal: what the work returns, or, interrupted, the exit status
 * (128 + the signal's number: 130 for Ctrl-C, as shells report a process a signal stopped) after saying so on stderr.
 */
export async function interruptible<T extends object>(command: string, io: CliIO, work: (signal: AbortSignal) => Promise<T>): Promise<T | number> {
  let signal: AbortSignal | undefined;
  try {
    return await withInterrupt((given) => work(signal = given));
  } catch (error) {
    if (!signal?.aborted || !isAbortError(error)) throw error;
    const reason: unknown = signal.reason;
    io.stderr.write(`driftline ${command}: stopped: ${reason instanceof Error ? reason.message : 'interrupted'}\n`);
    return reason instanceof InterruptedError ? exitCodeOf(reason.signal) : 130;
  }
}
