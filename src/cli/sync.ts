// `driftline sync --env E --app A`: prints the plan (or, for an app a Flux/Argo CD controller manages in that
// cluster, the reconcile it would request), then writes only after --yes or an interactive yes. Exit status:
// 0 done (or nothing to do), 1 a dry-run found work to do, 2 error or refused.
import { describeRef } from '../core/model';
import {
  applySyncPlan, countApplicable, describePlan, hasWork, prepareSync, summarizePlan, syncThroughController, type PreparedSync, type SyncRequest,
} from '../core/sync';
import { approveReplace, approveWrite, type PromptIO } from './confirm';
import { runFlagCommand } from './flagCommand';
import { FlagError, stringFlag, type Flags } from './flags';
import { withWorkspace } from './workspaceArgs';
import { withInterrupt } from './interrupt';

const HELP = `Usage: driftline sync --env E --app A [options]

Shows what a sync would change (create / update / prune per object), then applies it with server-side apply
as field manager "driftline". Where the app's Flux Kustomization/HelmRelease or Argo CD Application is live
in the cluster, asks that controller to reconcile instead and follows it.

  --env NAME          the environment (required)
  --app NAME          the app (required)
  --repo DIR          the GitOps repository (default: the current directory)
  --kubeconfig FILES  kubeconfig file(s), separated like KUBECONFIG
  --context NAME      use this kube context instead of the environment's
  --dry-run           only show the plan
  --prune             delete live objects the app owns that Git no longer has
  --force-conflicts   take over fields other field managers own
  --skip-refused      when the server refuses some objects, apply the others (the refused ones, and
                      the objects that need them, are left out and listed)
  --replace           delete and create again the objects whose immutable fields change ("needs
                      replace"); --yes does not imply it, and on a terminal it is asked separately
  --direct            apply directly even when a controller manages the app
  --timeout SECONDS   how long to follow a controller (default 300)
  --yes               write without asking (required for protected environments)
`;

export function runSync(args: string[], io: PromptIO): Promise<number> {
  return runFlagCommand({
    name: 'sync',
    help: HELP,
    flags: {
      values: ['env', 'app', 'repo', 'kubeconfig', 'context', 'timeout'],
      switches: ['dry-run', 'prune', 'force-conflicts', 'skip-refused', 'replace', 'direct', 'yes'],
    },
    validate(flags) {
      if (!flags.env || !flags.app) throw new FlagError('--env and --app are required');
      if (flags.timeout !== undefined && !(Number(flags.timeout) > 0)) throw new FlagError('--timeout needs a number of seconds');
    },
    run: sync,
  }, args, io);
}

function sync(flags: Flags, io: PromptIO): Promise<number> {
  return withWorkspace(flags, async (workspace) => {
    const prepared = await withInterrupt((signal) => prepareSync(workspace, {
      ...targetOf(flags),
      mode: flags.direct ? 'direct' : 'auto',
      prune: flags.prune === true,
      forceConflicts: flags['force-conflicts'] === true,
      signal,
    }));
    const options = {
      dryRun: flags['dry-run'] === true, yes: flags.yes === true, skipRefused: flags['skip-refused'] === true, replace: flags.replace === true,
      timeoutSeconds: Number(flags.timeout ?? 300),
    };
    return prepared.mode === 'controller'
      ? syncController(prepared, options, io)
      : syncDirect(prepared, options, io);
  }, io);
}

/** The app, environment and cluster that --env, --app and --context name (sync, suspend, resume). */
export function targetOf(flags: Flags): Pick<SyncRequest, 'environment' | 'app' | 'context'> {
  return {
    environment: stringFlag(flags, 'env') as string,
    app: stringFlag(flags, 'app') as string,
    context: stringFlag(flags, 'context'),
  };
}

interface RunOptions {
  dryRun: boolean;
  yes: boolean;
  skipRefused: boolean;
  replace: boolean;
  timeoutSeconds: number;
}

async function syncDirect(prepared: Extract<PreparedSync, { mode: 'direct' }>, options: RunOptions, io: PromptIO): Promise<number> {
  const plan = { ...prepared.plan, skipRefused: options.skipRefused, replace: options.replace };
  const { target } = prepared;
  io.stdout.write(`${describePlan(plan).join('\n')}\n${summarizePlan(plan)}\n`);
  const replacing = plan.replace ? plan.blocked.filter((b) => b.needsReplace) : [];
  const blocked = plan.blocked.filter((b) => !replacing.includes(b));
  if (blocked.length && !plan.skipRefused) {
    const others = countApplicable(plan);
    const needReplace = blocked.filter((b) => b.needsReplace).length;
    io.stderr.write(`Cannot sync: ${blocked.length} object(s) cannot be applied (see above). Nothing was changed.` +
      `${others ? ` --skip-refused applies the other ${others}.` : ''}` +
      `${needReplace ? ` --replace deletes and creates again the ${needReplace} that need replacing.` : ''}\n`);
    return 2;
  }
  if (options.dryRun) return hasWork(plan) ? 1 : 0;
  if (!hasWork(plan)) {
    io.stdout.write('Nothing to sync.\n');
    return 0;
  }
  const environment = { name: plan.environment, protected: plan.protected };
  if (!(await approveWrite(io, { yes: options.yes, environment, action: `sync app ${plan.app} in environment ${plan.environment}` }))) return 2;
  if (replacing.length && !(await approveReplace(io, replacing.map((b) => describeRef(b.ref))))) return 2;
  const result = await withInterrupt((signal) => applySyncPlan(target.client, plan, {
    confirmation: plan.environment, signal,
    onProgress: (message, done, total) => io.stderr.write(`[${done}/${total}] ${message}\n`),
  }));
  for (const applied of result.applied) io.stdout.write(`${applied.action === 'prune' ? 'pruned' : `${applied.action}d`} ${describeRef(applied.ref)}\n`);
  for (const skipped of result.skipped) io.stdout.write(`left ${describeRef(skipped.ref)}: ${skipped.reason}\n`);
  io.stdout.write(`Synced app ${plan.app} in environment ${plan.environment}: ${result.applied.length} change(s).\n`);
  return blocked.length ? 1 : 0;
}

async function syncController(prepared: Extract<PreparedSync, { mode: 'controller' }>, options: RunOptions, io: PromptIO): Promise<number> {
  const { controller, target } = prepared;
  const name = `${controller.kind} ${controller.metadata.namespace}/${controller.metadata.name}`;
  io.stdout.write(`App ${target.app.name} in environment ${target.environment.name} is managed by ${name} ` +
    `(context "${target.context}"): Sync asks it to reconcile. Use --direct to apply without it.\n`);
  if (options.dryRun) return 0;
  const environment = { name: target.environment.name, protected: target.environment.protected };
  if (!(await approveWrite(io, { yes: options.yes, environment, action: `ask ${name} to reconcile` }))) return 2;
  const result = await withInterrupt((signal) => syncThroughController(target.client, controller, {
    signal, timeoutMs: options.timeoutSeconds * 1000,
    onRequested: (requestedAt) => io.stderr.write(`Requested at ${requestedAt}; following ${name} (Ctrl-C stops following)\n`),
    onProgress: (message) => io.stderr.write(`${name}: ${message}\n`),
  }));
  io.stdout.write(`${name}: ${result.outcome}: ${result.message}\n`);
  return result.outcome === 'Succeeded' ? 0 : 2;
}
