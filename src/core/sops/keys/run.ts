// Runs a helper binary (gpg, sops) with secrets on stdin and stdout only: never in arguments or files.
import { spawn } from 'node:child_process';
import { abortReason } from '../../abort';
import { killTree } from '../../render/runTool';

export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export class MissingBinaryError extends Error {}

export class BinariesNotAllowedError extends Error {}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** False in an untrusted workspace: the binary is not run. */
  allowed?: boolean;
  /** Stops the run: the process is killed and the run rejects with the abort reason. */
  signal?: AbortSignal;
}

export function runWithStdin(binary: string, args: string[], input: Buffer | string, { env, cwd, allowed = true, signal }: RunOptions): Promise<RunResult> {
  if (!allowed) return Promise.reject(new BinariesNotAllowedError(`needs ${binary}, which does not run in an untrusted workspace`));
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    // A process group of its own, as runTool's: Stop kills what the binary started too.
    const child = spawn(binary, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    const stop = () => {
      killTree(child);
      reject(abortReason(signal!));
    };
    signal?.addEventListener('abort', stop, { once: true });
    child.on('close', () => signal?.removeEventListener('abort', stop));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new MissingBinaryError(`${binary} is not installed (not found on PATH)`) : e));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
