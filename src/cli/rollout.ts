// `driftline rollout promote|abort|retry|restart --env E --app A NAME [--full] [--yes]`: the Argo Rollouts
// actions of the `kubectl argo rollouts` plugin, on a Rollout of an app, with the same changes (status
// subresource patches, spec.restartAt). Protected environments need --yes, like every CLI write.
// Exit status: 0 done, 2 error or refused.
import { describeRef } from '../core/model';
import { describeRolloutOutcome, findAppRollout, resolveSyncTarget, rolloutActionVerb, runRolloutAction, type RolloutAction } from '../core/sync';
import { approveWrite, type PromptIO } from './confirm';
import { runFlagCommand } from './flagCommand';
import { FlagError, type Flags, type FlagSpec } from './flags';
import { targetOf } from './sync';
import { withWorkspace } from './workspaceArgs';

const VERBS = ['promote', 'abort', 'retry', 'restart'] as const;
type Verb = typeof VERBS[number];

const HELP = `Usage: driftline rollout promote|abort|retry|restart --env E --app A NAME [options]

Acts on the Argo Rollouts Rollout NAME (or NAMESPACE/NAME) of an app, as \`kubectl argo rollouts\` does:
  promote          continue a Rollout paused at a step (clears its pause; mid-analysis, skips to the next step)
  promote --full   skip the remaining steps, pauses and analysis: the new pods become stable
  abort            go back to the stable ReplicaSet (status.abort)
  retry            start an aborted update again (status.abort: false)
  restart          replace the Rollout's pods (spec.restartAt: now)

  --env NAME          the environment (required)
  --app NAME          the app (required)
  --full              with promote: a full promotion
  --repo DIR          the GitOps repository (default: the current directory)
  --kubeconfig FILES  kubeconfig file(s), separated like KUBECONFIG
  --context NAME      use this kube context instead of the environment's
  --yes               write without asking (required for protected environments)
`;

const FLAGS: FlagSpec = { values: ['env', 'app', 'repo', 'kubeconfig', 'context'], switches: ['yes', 'full'] };

export function runRollout(args: string[], io: PromptIO): Promise<number> {
  const [verb, ...rest] = args;
  const { positional, flagArgs } = splitPositional(rest);
  return runFlagCommand({
    name: `rollout${VERBS.includes(verb as Verb) ? ` ${verb}` : ''}`,
    help: HELP,
    flags: FLAGS,
    validate(flags) {
      if (!VERBS.includes(verb as Verb)) throw new FlagError(verb ? `unknown action "${verb}" (promote, abort, retry or restart)` : 'name an action: promote, abort, retry or restart');
      if (!flags.env || !flags.app) throw new FlagError('--env and --app are required');
      if (positional.length !== 1) throw new FlagError(positional.length ? `one Rollout at a time (got ${positional.join(', ')})` : 'name the Rollout: NAME or NAMESPACE/NAME');
      if (flags.full && verb !== 'promote') throw new FlagError('--full goes with promote only');
    },
    run: (flags, commandIO) => act(flags, commandIO, verb === 'promote' && flags.full ? 'promote-full' : verb as RolloutAction, positional[0]!),
  }, flagArgs, io);
}

function act(flags: Flags, io: PromptIO, action: RolloutAction, name: string): Promise<number> {
  return withWorkspace(flags, async (workspace) => {
    const target = await resolveSyncTarget(workspace, targetOf(flags));
    const ref = await findAppRollout(workspace, target, name);
    const environment = { name: target.environment.name, protected: target.environment.protected };
    const what = `${rolloutActionVerb(action)} ${describeRef(ref)} (app ${target.app.name} in environment ${environment.name}, context ${target.context})`;
    if (!(await approveWrite(io, { yes: flags.yes === true, environment, action: what }))) return 2;
    const line = describeRolloutOutcome(await runRolloutAction(target.client, ref, action));
    io.stdout.write(`${line[0]?.toUpperCase()}${line.slice(1)}.\n`);
    return 0;
  });
}

/** The Rollout's name among the flags: every argument that is neither a flag nor a flag's value. */
function splitPositional(args: string[]): { positional: string[]; flagArgs: string[] } {
  const positional: string[] = [];
  const flagArgs: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    flagArgs.push(arg);
    const takesValue = !arg.includes('=') && FLAGS.values.includes(arg.slice(2));
    if (takesValue && args[index + 1] !== undefined) flagArgs.push(args[++index]!);
  }
  return { positional, flagArgs };
}
