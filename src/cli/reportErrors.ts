// Sync, history and rollback return exit codes rather than throwing: a failure is one clear line on stderr.
import type { CliIO } from './io';

export async function exitCodeOf(command: string, io: CliIO, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    io.stderr.write(`driftline ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
