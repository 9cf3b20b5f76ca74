// What `driftline envs` and `driftline apps` share: `--repo DIR`, `--json`, `--env E`, the discovered
// model, problems on stderr, and a plain aligned table.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { discoverRepo } from '../core/discovery/discoverRepo';
import type { DiscoveryProblem, RepoModel } from '../core/model';
import type { CliIO } from './io';

export interface ListOptions {
  repo: string;
  json: boolean;
  env?: string;
}

/** Parses the arguments; undefined (after writing the reason and usage to stderr) when they are wrong. */
export function parseListArgs(args: string[], command: string, io: CliIO, allowEnv: boolean): ListOptions | undefined {
  const options: ListOptions = { repo: process.cwd(), json: false };
  const usage = `usage: driftline ${command} [--repo DIR]${allowEnv ? ' [--env E]' : ''} [--json]\n`;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? args[++index];
    if (flag === '--json') options.json = true;
    else if (flag === '--repo' || (flag === '--env' && allowEnv)) {
      const given = value();
      if (!given) {
        io.stderr.write(`driftline ${command}: ${flag} needs a value\n${usage}`);
        return undefined;
      }
      if (flag === '--repo') options.repo = path.resolve(given);
      else options.env = given;
    } else {
      io.stderr.write(`driftline ${command}: unknown argument "${arg}"\n${usage}`);
      return undefined;
    }
  }
  return options;
}

/** The repo's model; undefined (after saying why on stderr) when the folder does not exist. */
export async function loadModel(options: ListOptions, command: string, io: CliIO): Promise<RepoModel | undefined> {
  const stat = await fs.stat(options.repo).catch(() => undefined);
  if (!stat?.isDirectory()) {
    io.stderr.write(`driftline ${command}: ${options.repo} is not a directory\n`);
    return undefined;
  }
  return discoverRepo(options.repo);
}

export function describeProblem(problem: DiscoveryProblem): string {
  return `${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`;
}

/** `no environment "prod" in /repo (environments: dev, staging)`: what --env naming none says. */
export function noSuchEnvironment(model: RepoModel, name: string): string {
  return `no environment "${name}" in ${model.root} (environments: ${model.environments.map((environment) => environment.name).join(', ') || 'none'})`;
}

export function writeProblems(problems: DiscoveryProblem[], io: CliIO): void {
  for (const problem of problems) io.stderr.write(`warning: ${describeProblem(problem)}\n`);
}

/**
 * Writes a listing: `{repo, <what>: items, problems}` as JSON with --json; else problems on stderr and a
 * table of `header` and one row per item. Returns the exit code (0).
 */
export function writeListing<T>(
  io: CliIO, options: ListOptions, model: RepoModel, what: string, items: T[], header: string[], row: (item: T) => string[],
): number {
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ repo: model.root, [what]: items, problems: model.problems }, null, 2)}\n`);
    return 0;
  }
  writeProblems(model.problems, io);
  io.stdout.write(items.length === 0 ? `no ${what} found in ${model.root}\n` : formatTable([header, ...items.map(row)]));
  return 0;
}

/** Rows as left-aligned columns separated by two spaces; the first row is the header. */
function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')).join('\n') + '\n';
}
