// Runs a helper binary (gpg, sops) with secrets on stdin and stdout only: never in arguments or files.
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export class MissingBinaryError extends Error {}

export class BinariesNotAllowedError extends Error {}

export function runWithStdin(binary: string, args: string[], input: Buffer | string, env: NodeJS.ProcessEnv, cwd?: string, allowed = true): Promise<RunResult> {
  if (!allowed) return Promise.reject(new BinariesNotAllowedError(`needs ${binary}, which does not run in an untrusted workspace`));
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
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
