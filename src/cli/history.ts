// `driftline history --app A [--env E]`: the commits that touched the files the app renders from, newest first.
import path from 'node:path';
import { appHistory, describeChangedFiles, locateApp, type CommitInfo } from '../core/git';
import { runFlagCommand } from './flagCommand';
import { withWorkspace } from './workspaceArgs';
import { FlagError, stringFlag, type Flags } from './flags';
import type { CliIO } from './io';

const HELP = `Usage: driftline history --app A [--env E] [options]

Lists the commits that touched the files the app renders from (its kustomize tree with bases, chart,
values or YAML files), newest first.

  --app NAME     the app (required)
  --env NAME     its environment (required when the app is in several)
  --repo DIR     the GitOps repository (default: the current directory)
  --max N        at most N commits (default 50)
  --json         the commits as JSON
`;

export function runHistory(args: string[], io: CliIO): Promise<number> {
  return runFlagCommand({
    name: 'history',
    help: HELP,
    flags: { values: ['app', 'env', 'repo', 'max'], switches: ['json'] },
    validate(flags) {
      if (!flags.app) throw new FlagError('--app is required');
      if (flags.max !== undefined && !(Number.isInteger(Number(flags.max)) && Number(flags.max) > 0)) throw new FlagError('--max needs a whole number above 0');
    },
    run: history,
  }, args, io);
}

async function history(flags: Flags, io: CliIO): Promise<number> {
  const repo = path.resolve(stringFlag(flags, 'repo') ?? process.cwd());
  const located = await withWorkspace(flags, (workspace) => locateApp(workspace, stringFlag(flags, 'app') as string, stringFlag(flags, 'env')));
  const commits = await appHistory(repo, located.paths, { maxCount: Number(flags.max ?? 50) });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ environment: located.environment.name, app: located.app.name, commits }, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(`History of app ${located.app.name} (environment ${located.environment.name}):\n`);
  if (commits.length === 0) io.stdout.write('  no commits touched its files\n');
  io.stdout.write(formatHistory(commits));
  return 0;
}

export function formatHistory(commits: CommitInfo[]): string {
  return commits.map((c) => `${c.shortSha}  ${c.date.slice(0, 10)}  ${c.author}  ${c.message}\n          ${describeChangedFiles(c)}\n`).join('');
}
