// What a fuzz target is (run by worker.ts, scheduled by harness.ts), and the property every target checks
// about failures: an input may be refused, but only with the module's own error, naming the file or object.
import type fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FuzzTarget<T> {
  /** Shown in the test title and the figures line; also what --grep matches. */
  name: string;
  /** Inputs tried per run (DRIFTLINE_FUZZ_RUNS overrides every target's). */
  runs: number;
  /** Called once in the worker before the first input (keys, seed files, temp folders). */
  setup?: () => Promise<void> | void;
  /** Made after setup, since seeds may come from it. */
  arbitrary: () => fc.Arbitrary<T>;
  /** Inputs that once broke a property (regressions), tried before the random ones on every run. */
  examples?: T[];
  /** One input: returns when the module coped with it; throws when a property is broken. */
  check: (input: T) => Promise<void> | void;
  /** A short text of an input, for the report of a case that hangs (the worker cannot answer then). */
  preview?: (input: T) => string;
  teardown?: () => void;
}

/** Longer than this, one input is a failure (a hang, when the watchdog has to end the worker). */
export const CASE_BUDGET_MS = 2000;

/** What the harness asks the worker to run. */
export interface RunRequest {
  module: string;
  target: string;
  seed: number;
  numRuns: number;
  /** fast-check's replay path of a counterexample (DRIFTLINE_FUZZ_PATH). */
  path?: string;
}

/** What the worker tells the harness: the input it starts, and the outcome. */
export type WorkerMessage =
  | { type: 'case'; n: number; preview: string }
  | { type: 'caseDone' }
  | { type: 'done'; runs: number; failure?: string; slowestMs: number; setupMs: number };

/** Any target, for lists of targets of different input types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTarget = FuzzTarget<any>;

/** Types one target's check by its arbitrary, for a list of targets of different input types. */
export function defineTarget<T>(target: FuzzTarget<T>): AnyTarget {
  return target;
}

/** JavaScript's own error classes: a module that lets one of these out has crashed, whatever its message. */
const BUILTIN_ERRORS: ErrorConstructor[] = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];

export class PropertyBroken extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertyBroken';
  }
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * `error` is an acceptable refusal: an instance of one of `allowed` (the module's own classes; plain Error only
 * when listed), not one of JavaScript's own error classes, and its message contains every one of `names`.
 */
export function assertNamedError(error: unknown, names: string[], allowed: ErrorClass[]): void {
  if (!(error instanceof Error)) throw new PropertyBroken(`threw a non-Error: ${show(error)}`);
  const crashed = BUILTIN_ERRORS.some((builtin) => error instanceof builtin) ||
    !allowed.some((allowedClass) => error instanceof allowedClass);
  if (crashed) {
    throw new PropertyBroken(`crashed with ${error.name} (expected ${allowed.map((c) => c.name).join(' or ')}): ${error.message}\n${error.stack}`);
  }
  for (const name of names) {
    if (!error.message.includes(name)) throw new PropertyBroken(`${error.name} does not name ${name}: ${error.message}`);
  }
}

/** Throws when `condition` is false: a broken contract of a value the module returned. */
export function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new PropertyBroken(what);
}

export function show(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value.slice(0, 300)) : String(JSON.stringify(value)).slice(0, 300);
  } catch {
    return String(value).slice(0, 300);
  }
}

/** The default preview of an input: its first 300 characters and its length. */
export function previewOf(input: unknown): string {
  if (typeof input === 'string') return `${show(input)} (${input.length} chars)`;
  if (Buffer.isBuffer(input)) return `${show(input.toString('latin1'))} (${input.length} bytes)`;
  return show(input);
}

/**
 * A folder for the files the targets write once per input: in memory (/dev/shm) where there is one, since a
 * write to a disk-backed /tmp costs milliseconds on a busy machine, thousands of times over.
 */
export function scratchDir(prefix: string): string {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return fs.mkdtempSync(path.join(base, prefix));
}
