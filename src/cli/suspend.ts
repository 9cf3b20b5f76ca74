// `driftline suspend|resume --env E --app A`: stops or restarts the reconciling of an app by its Flux
// Kustomization or HelmRelease (`spec.suspend`, as `flux suspend`/`flux resume`; resume also requests a
// reconcile). Protected environments need --yes, like every CLI write. Exit status: 0 done, 2 error or refused.
import { describeRef, refOf } from '../core/model';
import { describeSuspendOutcome, findLiveFluxController, resolveSyncTarget, setAppSuspended } from '../core/sync';
import { approveWrite, type PromptIO } from './confirm';
import { runFlagCommand } from './flagCommand';
import { FlagError, type Flags } from './flags';
import { targetOf } from './sync';
import { withWorkspace } from './workspaceArgs';

const help = (verb: 'suspend' | 'resume') => `Usage: driftline ${verb} --env E --app A [options]

${verb === 'suspend'
    ? 'Suspends the Flux Kustomization or HelmRelease that reconciles the app (spec.suspend: true): Flux stops\napplying it until it is resumed.'
    : 'Resumes the Flux Kustomization or HelmRelease that reconciles the app (spec.suspend: false) and asks it to\nreconcile now (reconcile.fluxcd.io/requestedAt).'}

  --env NAME          the environment (required)
  --app NAME          the app (required)
  --repo DIR          the GitOps repository (default: the current directory)
  --kubeconfig FILES  kubeconfig file(s), separated like KUBECONFIG
  --context NAME      use this kube context instead of the environment's
  --yes               write without asking (required for protected environments)
`;

export const runSuspend = (args: string[], io: PromptIO) => runSuspendCommand('suspend', args, io);
export const runResume = (args: string[], io: PromptIO) => runSuspendCommand('resume', args, io);

function runSuspendCommand(verb: 'suspend' | 'resume', args: string[], io: PromptIO): Promise<number> {
  return runFlagCommand({
    name: verb,
    help: help(verb),
    flags: { values: ['env', 'app', 'repo', 'kubeconfig', 'context'], switches: ['yes'] },
    validate(flags) {
      if (!flags.env || !flags.app) throw new FlagError('--env and --app are required');
    },
    run: (flags, commandIO) => setSuspended(flags, commandIO, verb === 'suspend'),
  }, args, io);
}

function setSuspended(flags: Flags, io: PromptIO, suspend: boolean): Promise<number> {
  return withWorkspace(flags, async (workspace) => {
    const target = await resolveSyncTarget(workspace, targetOf(flags));
    const live = await findLiveFluxController(target);
    const environment = { name: target.environment.name, protected: target.environment.protected };
    const action = `${suspend ? 'suspend' : 'resume'} ${describeRef(refOf(live))} (app ${target.app.name} in environment ${environment.name})`;
    if (!(await approveWrite(io, { yes: flags.yes === true, environment, action }))) return 2;
    const outcome = await setAppSuspended(target, live, suspend);
    const line = describeSuspendOutcome(outcome, suspend);
    io.stdout.write(`${line[0]?.toUpperCase()}${line.slice(1)}.\n`);
    return 0;
  });
}
