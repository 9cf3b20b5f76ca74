// What sync, history and rollback share around their own work: `--help`, strict flags with the usage on a
// mistake, and every failure as one clear line on stderr with exit status 2 (they return codes, never throw).
import { messageOf } from '../core/errors';
import type { CliIO } from './io';
import { FlagError, parseFlags, type Flags, type FlagSpec } from './flags';

export interface FlagCommand<IO extends CliIO> {
  name: string;
  help: string;
  flags: FlagSpec;
  /** Throws FlagError when the flags make no sense together. */
  validate(flags: Flags): void;
  run(flags: Flags, io: IO): Promise<number>;
}

export async function runFlagCommand<IO extends CliIO>(command: FlagCommand<IO>, args: string[], io: IO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(command.help);
    return 0;
  }
  let flags: Flags;
  try {
    flags = parseFlags(args, command.flags);
    command.validate(flags);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    io.stderr.write(`driftline ${command.name}: ${error.message}\n${command.help}`);
    return 2;
  }
  try {
    return await command.run(flags, io);
  } catch (error) {
    io.stderr.write(`driftline ${command.name}: ${messageOf(error)}\n`);
    return 2;
  }
}
