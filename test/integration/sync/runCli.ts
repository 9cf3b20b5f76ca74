// Runs a sync/history/rollback CLI command with in-memory streams; stdin is a pipe (not a terminal) unless
// the test types an answer into a pretend terminal.
import { PassThrough } from 'node:stream';
import type { PromptIO } from '../../../src/cli/confirm';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  command: (args: string[], io: PromptIO) => Promise<number>, args: string[], options: { typed?: string } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = Object.assign(new PassThrough(), { isTTY: options.typed !== undefined });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  if (options.typed !== undefined) stdin.end(`${options.typed}\n`);
  const code = await command(args, { stdout, stderr, stdin });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
