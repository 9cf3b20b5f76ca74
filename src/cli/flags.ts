// Strict flag parsing for sync, history and rollback: `--flag value`, `--flag=value` and switches; an unknown
// flag or a missing value is a UsageError naming it.
export class FlagError extends Error {}

export interface FlagSpec {
  /** Flags that take a value. */
  values: string[];
  /** Flags without a value. */
  switches: string[];
  /** Flags whose value may be left out (then `true`). */
  optionalValues?: string[];
}

export type Flags = Record<string, string | true | undefined>;

export function parseFlags(args: string[], spec: FlagSpec): Flags {
  const flags: Flags = {};
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = (eq > 0 ? arg.slice(0, eq) : arg).replace(/^--/, '');
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument "${arg}"`);
    if (spec.switches.includes(name)) {
      if (inline !== undefined) throw new FlagError(`--${name} takes no value`);
      flags[name] = true;
    } else if (spec.values.includes(name) || spec.optionalValues?.includes(name)) {
      const next = args[index + 1];
      const value = inline ?? (next !== undefined && !next.startsWith('--') ? (index++, next) : undefined);
      if (value === undefined || value === '') {
        if (!spec.optionalValues?.includes(name)) throw new FlagError(`--${name} needs a value`);
        flags[name] = true;
      } else flags[name] = value;
    } else throw new FlagError(`unknown option ${arg}`);
  }
  return flags;
}

/** A flag's string value, or undefined. */
export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}
