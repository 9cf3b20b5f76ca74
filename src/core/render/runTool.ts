// Runs kustomize, kubectl and helm. Arguments are paths and names only: values and secrets go through stdin,
// never the command line (which any user on the machine can read in the process list).
import { spawn } from 'node:child_process';
import { promises as fs, constants as fsConstants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Slots } from '../concurrency';

export interface ToolRun {
  stdout: string;
  stderr: string;
  /** Exit code; null when the process was killed (timeout). */
  code: number | null;
}

export interface ToolRunOptions {
  cwd?: string;
  /** Written to the tool's stdin, then closed. */
  input?: string;
  timeoutMs?: number;
}

const DEFAULT_TOOL_TIMEOUT_MS = 120_000;

/** The executable for `name`: an explicit path when configured (must exist), else the first match on PATH. */
export async function findExecutable(name: string, configuredPath?: string): Promise<string | undefined> {
  const candidates = configuredPath
    ? [configuredPath]
    : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name));
  for (const candidate of candidates) {
    try {
      await fs.access(candidate, fsConstants.X_OK);
      if ((await fs.stat(candidate)).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
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
const toolEnvironment = (): NodeJS.ProcessEnv => ({ ...process.env, GOGC: process.env.GOGC ?? '400' });

export function runTool(command: string, args: string[], options: ToolRunOptions = {}): Promise<ToolRun> {
  return toolSlots.run(() => runNow(command, args, options));
}

function runNow(command: string, args: string[], options: ToolRunOptions): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: toolEnvironment(), stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timeoutMs = options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    const timer = setTimeout(() => {
      stderr.push(Buffer.from(`\n${path.basename(command)} did not finish within ${timeoutMs / 1000}s and was stopped`));
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code });
    });
    // A tool that exits before reading stdin closes the pipe; its exit status tells what went wrong.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
