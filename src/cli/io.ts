/** Where a CLI command writes; tests pass their own streams. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** A subcommand: takes its own arguments, returns the process exit code (0 in sync, 1 drift, 2 error). */
export type CliCommand = (args: string[], io: CliIO) => Promise<number>;
