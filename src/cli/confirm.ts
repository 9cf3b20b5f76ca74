// Asking before a write: `--yes` answers for the user; otherwise an interactive y/N on a terminal, and a
// clear refusal when there is no terminal to ask on. Protected environments always need `--yes`.
import type { CliIO } from './io';

/** CliIO plus the input to prompt on (default: process.stdin). */
export interface PromptIO extends CliIO {
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface WriteApproval {
  yes: boolean;
  environment: { name: string; protected: boolean };
  /** `sync app shop in environment dev`. */
  action: string;
}

/** True when the write may go ahead; otherwise it has said why on stderr. */
export async function approveWrite(io: PromptIO, approval: WriteApproval): Promise<boolean> {
  if (approval.yes) return true;
  if (approval.environment.protected) {
    io.stderr.write(`Environment ${approval.environment.name} is protected: to ${approval.action}, run again with --yes. Nothing was changed.\n`);
    return false;
  }
  const stdin = io.stdin ?? process.stdin;
  if (!stdin.isTTY) {
    io.stderr.write(`Not going to ${approval.action} without --yes (no terminal to ask on). Nothing was changed.\n`);
    return false;
  }
  io.stdout.write(`${approval.action[0]?.toUpperCase()}${approval.action.slice(1)}? [y/N] `);
  const answer = await readLine(stdin);
  if (/^y(es)?$/i.test(answer.trim())) return true;
  io.stderr.write('Cancelled. Nothing was changed.\n');
  return false;
}

/**
 * Deleting and creating again is asked on its own, never implied by --yes: on a terminal the user types
 * "replace"; without one, the --replace flag that brought us here is the explicit answer.
 */
export async function approveReplace(io: PromptIO, objects: string[]): Promise<boolean> {
  const stdin = io.stdin ?? process.stdin;
  if (!stdin.isTTY) return true;
  io.stdout.write(`Delete and create again ${objects.join(', ')} (their immutable fields change)? Type "replace": `);
  if ((await readLine(stdin)).trim() === 'replace') return true;
  io.stderr.write('Not replaced. Nothing was changed.\n');
  return false;
}

function readLine(stdin: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n')) done();
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.off('end', done);
      stdin.pause();
      resolve(text.split('\n')[0] ?? '');
    };
    stdin.on('data', onData);
    stdin.on('end', done);
    stdin.resume();
  });
}
