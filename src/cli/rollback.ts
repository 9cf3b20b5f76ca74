// `driftline rollback --app A (--revert SHA | --to SHA)`: a revert commit for one commit, or for every later
// commit that touched the app (newest first, as one commit); optionally pushed on a review branch.
import path from 'node:path';
import { appHistory, commitInfo, locateApp, pushRollbackBranch, revertCommit, rollbackTo, type CommitInfo } from '../core/git';
import { approveWrite, type PromptIO } from './confirm';
import { runFlagCommand } from './flagCommand';
import { withWorkspace } from './workspaceArgs';
import { FlagError, stringFlag, type Flags } from './flags';
import { formatHistory } from './history';

const HELP = `Usage: driftline rollback --app A (--revert SHA | --to SHA) [options]

Makes a git revert commit on the current branch: of one commit (--revert), or of every commit after SHA that
touched the app's files, newest first, as one commit (--to). A dirty working tree is refused; a conflict
changes nothing.

  --app NAME       the app (required)
  --env NAME       its environment (required when the app is in several; protected ones need --yes)
  --revert SHA     revert this commit
  --to SHA         roll the app back to this commit
  --paths-only     revert only the changes inside the app's files
  --push [BRANCH]  push the result on a new branch (default driftline/rollback-<app>-<sha>)
  --repo DIR       the GitOps repository (default: the current directory)
  --yes            commit (and push) without asking
`;

export function runRollback(args: string[], io: PromptIO): Promise<number> {
  return runFlagCommand({
    name: 'rollback',
    help: HELP,
    flags: { values: ['app', 'env', 'revert', 'to', 'repo'], switches: ['paths-only', 'yes'], optionalValues: ['push'] },
    validate(flags) {
      if (!flags.app) throw new FlagError('--app is required');
      if (!flags.revert === !flags.to) throw new FlagError('give exactly one of --revert SHA and --to SHA');
    },
    run: rollback,
  }, args, io);
}

async function rollback(flags: Flags, io: PromptIO): Promise<number> {
  const repo = path.resolve(stringFlag(flags, 'repo') ?? process.cwd());
  const located = await withWorkspace(flags, (workspace) => locateApp(workspace, stringFlag(flags, 'app') as string, stringFlag(flags, 'env')));
  const appName = located.app.name;
  const pathsOnly = flags['paths-only'] === true;
  const revert = stringFlag(flags, 'revert');
  const target = stringFlag(flags, 'to');

  const undone: CommitInfo[] = revert
    ? [await commitInfo(repo, revert, located.paths)]
    : await appHistory(repo, located.paths, { since: target });
  if (undone.length === 0) {
    io.stderr.write(`Nothing to roll back: no commit after ${target} touched the files of app ${appName}.\n`);
    return 2;
  }
  io.stdout.write(revert ? `Reverting in ${repo}:\n` : `Rolling app ${appName} back to ${target} in ${repo}, reverting:\n`);
  io.stdout.write(formatHistory(undone));
  if (pathsOnly) io.stdout.write("Only changes inside the app's files are reverted.\n");
  const environment = { name: located.environment.name, protected: located.environment.protected };
  if (!(await approveWrite(io, { yes: flags.yes === true, environment, action: `commit the ${revert ? 'revert' : 'rollback'} of app ${appName}` }))) return 2;

  const result = revert
    ? await revertCommit(repo, revert, pathsOnly ? { paths: located.paths } : {})
    : await rollbackTo(repo, target as string, located.paths, { pathsOnly, appName });
  io.stdout.write(`Committed ${result.shortSha}: ${result.message.split('\n')[0]}\n`);
  if (flags.push) {
    const pushed = await pushRollbackBranch(repo, appName, typeof flags.push === 'string' ? { branch: flags.push } : {});
    io.stdout.write(`Pushed ${pushed.sha.slice(0, 7)} to ${pushed.remote} as branch ${pushed.branch}\n`);
  }
  io.stdout.write(`To apply it: driftline sync --env ${located.environment.name} --app ${appName}\n`);
  return 0;
}
