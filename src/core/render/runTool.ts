// Runs kustomize, kubectl, helm and jsonnet. Arguments are paths and names only: values and secrets go through
// stdin or the tool's environment, never the command line (which any user on the machine can read in the process list).
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, constants as fsConstants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { abortReason } from '../abort';
import { Slots } from '../concurrency';

export interface ToolRun {
  stdout: string;
  stderr: string;
  /** Exit code; null when a signal ended the process. */
  code: number | null;
}

export interface ToolRunOptions {
  cwd?: string;
  /** Written to the tool's stdin, then closed. */
  input?: string;
  /**
   * Set in the tool's environment over Driftline's own (undefined removes a variable): values a tool reads by
   * name from there (jsonnet's `--ext-str NAME`), which only the same user can read, unlike the command line.
   */
  env?: Record<string, string | undefined>;
  /** Longest the run may take (default 120 s): then the process is killed and the run rejects with ToolTimeoutError. */
  timeoutMs?: number;
  /** Kills the process (and what it started) and rejects with the abort reason at once; a waiter for a slot leaves the queue. */
  signal?: AbortSignal;
  /** How errors name the run (default the executable's name): `kubectl kustomize`, `helm template`. */
  label?: string;
  /** False: nothing is started, the run rejects with ToolNotAllowedError (an untrusted workspace; RenderOptions.allowTools). */
  allowTools?: boolean;
}

/** A tool run that took longer than its timeout; the process was killed. */
export class ToolTimeoutError extends Error {
  override readonly name = 'ToolTimeoutError';
  constructor(readonly label: string, readonly timeoutMs: number) {
    super(`${label} did not finish within ${timeoutMs / 1000} s and was stopped`);
  }
}

/** A tool that may not run here (an untrusted workspace): nothing was started. */
export class ToolNotAllowedError extends Error {
  override readonly name = 'ToolNotAllowedError';
  constructor(readonly tool: string) {
    super(`needs ${tool}, which does not run in an untrusted workspace`);
  }
}

/** Throws ToolNotAllowedError naming `tool` when the options forbid running tools. */
export function assertToolAllowed(tool: string, options: { allowTools?: boolean }): void {
  if (options.allowTools === false) throw new ToolNotAllowedError(tool);
}

const DEFAULT_TOOL_TIMEOUT_MS = 120_000;

/**
 * The executable for `name`: an explicit path when configured (must exist), else the first match on PATH.
 * Every render asks (kustomize, then kubectl): the candidates are checked at once, not one after the other (a
 * dozen PATH folders were ~180 ms of a one-app render while git ran beside it), and an answer, found or not,
 * holds for a few seconds (a one-file preview asked twice per render, each a dozen file-system calls queued
 * behind the other environments' reads). After that it is checked again: a tool may be installed or removed.
 */
export async function findExecutable(name: string, configuredPath?: string): Promise<string | undefined> {
  const candidates = configuredPath
    ? [configuredPath]
    : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name));
  const key = candidates.join(path.delimiter);
  const known = lookedUp.get(key);
  if (known && Date.now() - known.at < LOOKUP_HOLDS_MS) return known.found;
  const usable = await Promise.all(candidates.map(isExecutableFile));
  const found = candidates.find((_candidate, index) => usable[index]);
  lookedUp.set(key, { found, at: Date.now() });
  return found;
}

/** How long a look-up's answer holds. */
const LOOKUP_HOLDS_MS = 5_000;
/** The latest look-up of each candidate list (findExecutable): the first executable file, or none, and when. */
const lookedUp = new Map<string, { found: string | undefined; at: number }>();

async function isExecutableFile(candidate: string): Promise<boolean> {
  try {
    await fs.access(candidate, fsConstants.X_OK);
    return (await fs.stat(candidate)).isFile();
  } catch {
    return false; // not here
  }
}

/**
 * Tool processes running at once, across all renders of this process: kustomize and helm are CPU-bound, so more
 * processes than cores only slow each other down. Fewer at once also finish some environments' renders early,
 * and their comparison (requests, mostly waiting on the server) overlaps the renders still running.
 */
const toolSlots = new Slots(Math.max(2, os.availableParallelism()));

/**
 * The tools are Go programs that run for a second and exit: collecting garbage they would free at exit anyway is
 * wasted CPU. GOGC=400 (unless the user set GOGC) cut a 30-app kustomize build from 0.70 to 0.55 s of CPU, for
 * ~45 MB more memory while it runs.
 */
function toolEnvironment(extra: ToolRunOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GOGC: process.env.GOGC ?? '400' };
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export async function runTool(command: string, args: string[], options: ToolRunOptions = {}): Promise<ToolRun> {
  assertToolAllowed(options.label ?? path.basename(command), options);
  return toolSlots.run(() => runNow(command, args, options), options.signal);
}

/**
 * Tool processes still running, killed when this process exits: each runs in a process group of its own
 * (so a kill reaches what it started, e.g. helm under kustomize --enable-helm), which a terminal's Ctrl-C
 * does not reach.
 */
const running = new Set<ChildProcess>();
let killOnExit = false;

/** Kills the tool and every process it started (its process group); no error when they are gone already. */
export function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // exited already
  }
}

function runNow(command: string, args: string[], options: ToolRunOptions): Promise<ToolRun> {
  const { signal } = options;
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd, env: toolEnvironment(options.env), stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true,
    });
    running.add(child);
    if (!killOnExit) {
      killOnExit = true;
      process.once('exit', () => { for (const tool of running) killTree(tool); });
    }
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timeoutMs = options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      finish();
    };
    // Killed, the process is reaped later ('close'); the run ends now.
    const stop = (error: Error) => {
      killTree(child);
      settle(() => reject(error));
    };
    const onAbort = () => stop(abortReason(signal!));
    const timer = setTimeout(() => stop(new ToolTimeoutError(options.label ?? path.basename(command), timeoutMs)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      running.delete(child);
      settle(() => reject(error));
    });
    child.on('close', (code) => {
      running.delete(child);
      settle(() => resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code }));
    });
    // A tool that exits before reading stdin closes the pipe; its exit status tells what went wrong.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(options.input ?? '');
  });
}
