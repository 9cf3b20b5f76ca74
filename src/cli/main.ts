// The `driftline` command: a thin dispatcher over the core. Each subcommand lives in its own file.
import { messageOf } from '../core/errors';
import { runApps } from './apps';
import { runCache } from './cache';
import { runBuild } from './build';
import { runDiff } from './diff';
import { runDoctorCommand } from './doctor';
import { runEnvs } from './envs';
import { runHistory } from './history';
import { installInterruptHandlers } from './interrupt';
import { runPreview } from './preview';
import type { CliCommand, CliIO } from './io';
import { runRollback } from './rollback';
import { runRollout } from './rollout';
import { runSopsCommand } from './sops';
import { runStatus } from './status';
import { runResume, runSuspend } from './suspend';
import { runSync } from './sync';
import { runTree } from './tree';

interface Subcommand {
  summary: string;
  run: CliCommand;
}

// Add subcommands here, one line each, in the order `driftline help` lists them.
const subcommands: Record<string, Subcommand> = {
  status: { summary: 'compare the live cluster with Git: a table of environments and apps (--json for machines)', run: runStatus },
  diff: { summary: 'a unified diff per drifted object, live against Git (Secrets masked)', run: runDiff },
  envs: { summary: 'list environments: kube context, protection, app count', run: runEnvs },
  apps: { summary: 'list apps: environment, renderer, path, origin', run: runApps },
  tree: { summary: 'apps as the controllers apply them: Flux Kustomizations with what their builds apply (like flux tree)', run: runTree },
  build: { summary: "an app's desired objects as YAML, each with its source file (Secrets masked unless --reveal)", run: runBuild },
  preview: { summary: 'what merging a branch would change: head vs base in Git, and with --live vs the cluster (markdown for PR comments)', run: runPreview },
  sync: { summary: 'preview, then apply an app from Git (or ask its Flux/Argo CD controller to reconcile)', run: runSync },
  suspend: { summary: "stop Flux reconciling an app (its Kustomization/HelmRelease's spec.suspend)", run: runSuspend },
  resume: { summary: 'let Flux reconcile an app again, and ask it to reconcile now', run: runResume },
  rollout: { summary: 'promote | promote --full | abort | retry | restart an Argo Rollouts Rollout of an app (as kubectl argo rollouts)', run: runRollout },
  history: { summary: "the commits that touched an app's files", run: runHistory },
  rollback: { summary: 'revert commits of an app (one revert commit), optionally pushed on a new branch', run: runRollback },
  doctor: { summary: 'GitOps gotchas: plaintext Secrets, missing sources and dependencies, no probes or health checks, unpinned versions (--format sarif)', run: runDoctorCommand },
  sops: { summary: 'decrypt | encrypt [--in-place] | updatekeys a SOPS file', run: runSopsCommand },
  cache: { summary: 'clear | path: the cache of charts fetched from Helm repositories and OCI registries', run: runCache },
};

function usage(io: CliIO): void {
  const width = Math.max(...Object.keys(subcommands).map((name) => name.length), 4);
  const lines = Object.entries(subcommands).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  io.stdout.write(`Usage: driftline <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n` +
    'Exit status: 0 in sync, 1 drift found, 2 error.\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    usage(io);
    return name ? 0 : 2;
  }
  const subcommand = subcommands[name];
  if (!subcommand) {
    io.stderr.write(`driftline: unknown command "${name}"\n`);
    usage(io);
    return 2;
  }
  try {
    return await subcommand.run(args, io);
  } catch (error) {
    io.stderr.write(`driftline ${name}: ${messageOf(error)}\n`);
    return 2;
  }
}

if (require.main === module) {
  installInterruptHandlers();
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => { process.stderr.write(`driftline: ${messageOf(error)}\n`); process.exitCode = 2; },
  );
}
