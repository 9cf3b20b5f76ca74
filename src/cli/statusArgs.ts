// Options shared by `driftline status` and `driftline diff`: which repo, which environments and apps, which
// cluster. Parsed strictly: an unknown option is an error that names it, never silently ignored.
import path from 'node:path';
import { DriftEngine, type StatusFilter } from '../core/drift/engine';
import { reportFetches } from './fetchProgress';
import type { CliIO } from './io';

export interface StatusArgs {
  repo: string;
  filter: StatusFilter;
  kubeconfig?: string;
  concurrency?: number;
  alwaysDryRun?: boolean;
  json: boolean;
}

export const STATUS_OPTIONS_HELP = [
  '  --repo DIR          the GitOps repository (default: the current directory)',
  '  --env NAME          only this environment',
  '  --app NAME          only this app',
  '  --context NAME      compare against this kube context instead of each environment\'s own',
  '  --kubeconfig FILES  kubeconfig file(s), separated like KUBECONFIG (default: $KUBECONFIG, else ~/.kube/config)',
  '  --concurrency N     requests in flight per environment (default 8)',
  '  --always-dry-run    ask the server even where managedFields prove an object unchanged',
].join('\n');

export class UsageError extends Error {}

export function parseStatusArgs(args: string[], options: { json: boolean }): StatusArgs {
  const parsed: StatusArgs = { repo: process.cwd(), filter: {}, json: false };
  const valueOf = (index: number, flag: string): string => {
    const value = args[index + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return value;
  };
  for (let index = 0; index < args.length; index++) {
    const [flag, inline] = args[index].startsWith('--') && args[index].includes('=')
      ? [args[index].slice(0, args[index].indexOf('=')), args[index].slice(args[index].indexOf('=') + 1)]
      : [args[index], undefined];
    const take = () => inline ?? valueOf(index++, flag);
    switch (flag) {
      case '--repo': parsed.repo = path.resolve(take()); break;
      case '--env': parsed.filter.env = take(); break;
      case '--app': parsed.filter.app = take(); break;
      case '--context': parsed.filter.context = take(); break;
      case '--kubeconfig': parsed.kubeconfig = take(); break;
      case '--concurrency': {
        const value = Number(take());
        if (!Number.isInteger(value) || value < 1) throw new UsageError('--concurrency needs a whole number of at least 1');
        parsed.concurrency = value;
        break;
      }
      case '--always-dry-run':
        if (inline !== undefined) throw new UsageError('--always-dry-run takes no value');
        parsed.alwaysDryRun = true;
        break;
      case '--json':
        if (!options.json) throw new UsageError('unknown option --json');
        parsed.json = true;
        break;
      default:
        throw new UsageError(`unknown option ${args[index]}`);
    }
  }
  return parsed;
}

/** The engine of the options; with `io`, fetches of remote sources show on its stderr. */
export function engineFor(args: StatusArgs, io?: CliIO): DriftEngine {
  const engine = new DriftEngine({ repoRoot: args.repo, kubeconfig: args.kubeconfig, concurrency: args.concurrency, alwaysDryRun: args.alwaysDryRun });
  if (io) reportFetches(engine.workspace.sourceFetches, io.stderr);
  return engine;
}

/**
 * The command's options, or the exit code when there is nothing to run: 0 after printing help for
 * `--help`, 2 after naming a bad option (followed by the help).
 */
export function readStatusArgs(command: string, args: string[], io: CliIO, help: string, options: { json: boolean }): StatusArgs | number {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(help);
    return 0;
  }
  try {
    return parseStatusArgs(args, options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`driftline ${command}: ${error.message}\n${help}`);
    return 2;
  }
}
