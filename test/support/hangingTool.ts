// A kustomize (or helm) that never finishes: a real executable script that writes its own pid and the pid of a
// child it starts (a grandchild of Driftline) to a file, then waits forever. Tests of cancellation and timeouts
// use it to prove that Stop returns at once and that no process of the tool is left behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface HangingTool {
  /** The executable (configure it as the kustomize or helm path). */
  path: string;
  dir: string;
  /** Pids the runs so far have written: each run's shell and the `sleep` it started. */
  pids(): number[];
  /** How many runs have started. */
  runs(): number;
  remove(): void;
}

export function writeHangingTool(name = 'kustomize'): HangingTool {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-hanging-tool-'));
  const pidFile = path.join(dir, 'pids');
  const runsFile = path.join(dir, 'runs');
  const tool = path.join(dir, name);
  // The shell's pid first, then its child's: a run counts as started once both are written.
  fs.writeFileSync(tool, [
    '#!/bin/sh',
    `echo $$ >> '${pidFile}'`,
    'sleep 100000 &',
    `echo $! >> '${pidFile}'`,
    `echo started >> '${runsFile}'`,
    'wait',
    '',
  ].join('\n'), { mode: 0o755 });
  const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  return {
    path: tool,
    dir,
    pids: () => lines(pidFile).map(Number),
    runs: () => lines(runsFile).length,
    remove: () => {
      // A failed test must not leave its processes behind either.
      for (const pid of lines(pidFile).map(Number)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Whether a process runs (a zombie, dead but not yet reaped by its parent, does not count). Linux: /proc; else
 * `process.kill(pid, 0)`, which throws ESRCH for a pid that no longer exists.
 */
export function isRunning(pid: number): boolean {
  if (process.platform === 'linux') {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return false;
    }
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    return state !== 'Z' && state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Polls `condition` until it holds; fails naming `what` when `timeoutMs` passes first. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until none of the tool's processes runs; fails naming the ones left. */
export async function assertNoneLeft(tool: HangingTool, timeoutMs = 2_000): Promise<void> {
  const pids = tool.pids();
  if (pids.length === 0) throw new Error(`${tool.path} never ran: nothing to check`);
  await waitUntil(() => pids.every((pid) => !isRunning(pid)), `no process of ${tool.path} is left (pids ${pids.join(', ')}; ` +
    `still running: ${pids.filter(isRunning).join(', ')})`, timeoutMs);
}

/** `promise`'s settling time in ms after `start` (it must reject): the error and how long it took. */
export async function rejectionAfter(promise: Promise<unknown>, start: number): Promise<{ error: Error; ms: number }> {
  try {
    await promise;
  } catch (error) {
    return { error: error as Error, ms: Date.now() - start };
  }
  throw new Error('expected a rejection, but it resolved');
}
