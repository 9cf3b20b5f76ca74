// `driftline build --env E --app A`: the objects Driftline compares for one app, as YAML (like `flux build ks` or
// `argocd app manifests --local`), each after a `# Source: file:line` comment; Secrets masked unless --reveal.
import path from 'node:path';
import { stringify } from 'yaml';
import { isSecret, maskSecret, maskSecretFields } from '../core/drift/maskSecrets';
import type { DesiredObject } from '../core/model';
import { describeSource } from '../core/render/postBuild';
import { renderApps } from '../core/render/renderApps';
import { runFlagCommand } from './flagCommand';
import { FlagError, stringFlag, type Flags } from './flags';
import { withInterrupt } from './interrupt';
import type { CliIO } from './io';
import { withWorkspace } from './workspaceArgs';

const HELP = `Usage: driftline build --app A [--env E] [options]

Prints the objects the app renders to (what Driftline compares with the cluster), as YAML documents, each after
a "# Source:" comment naming the repo file and line it comes from. Needs no cluster: Flux postBuild variables
from a substituteFrom object no build emits (read from the cluster when comparing) are printed as written.

  --app NAME     the app (required)
  --env NAME     its environment (required when the app is in several)
  --repo DIR     the GitOps repository (default: the current directory)
  --reveal       print Secret values (SOPS-encrypted ones decrypted, and fields substituted from them); masked by default
  --json         {environment, app, objects: [{source, object, unknownReason?}]} instead of YAML

Exit status: 0 built, 2 the app cannot be built (the reason on stderr) or an object of it is Unknown.
`;

export function runBuild(args: string[], io: CliIO): Promise<number> {
  return runFlagCommand({
    name: 'build',
    help: HELP,
    flags: { values: ['app', 'env', 'repo'], switches: ['reveal', 'json'] },
    validate(flags) {
      if (!flags.app) throw new FlagError('--app is required');
    },
    run: build,
  }, args, io);
}

async function build(flags: Flags, io: CliIO): Promise<number> {
  return withWorkspace(flags, async (workspace) => withInterrupt(async (signal) => {
    const { environment, app } = await workspace.locate(stringFlag(flags, 'app') as string, stringFlag(flags, 'env'), signal);
    const model = await workspace.discover(signal);
    const [rendered] = await renderApps([app], { ...workspace.renderOptionsFor(model), signal });
    const failure = app.unknownReason ?? rendered!.error;
    if (failure) {
      io.stderr.write(`driftline build: ${environment.name}/${app.name} cannot be built: ${failure}\n`);
      return 2;
    }
    const shown = rendered!.objects.map((desired) => ({
      ...desired, object: flags.reveal ? desired.object : masked(desired),
      source: { ...desired.source, file: path.relative(model.root, desired.source.file) || desired.source.file },
    }));
    if (flags.json) io.stdout.write(`${JSON.stringify({ environment: environment.name, app: app.name, objects: shown }, null, 2)}\n`);
    else io.stdout.write(shown.map(asDocument).join(''));
    // Without a cluster, variables of sources no build emits stay as written (the comparison reads them live).
    const live = app.substitute?.from.filter((source) => !source.built) ?? [];
    if (live.length) io.stderr.write(`note: postBuild.substituteFrom ${live.map(describeSource).join(', ')}: not in the build output, read from the cluster when comparing; its variables are printed as written\n`);
    const unknown = shown.filter((desired) => desired.unknownReason);
    for (const desired of unknown) io.stderr.write(`warning: ${desired.object.kind}/${desired.object.metadata.name}: ${desired.unknownReason}\n`);
    return unknown.length ? 2 : 0;
  }), io);
}

/** A Secret's values masked, and any field post-build substitution filled from a Secret. */
function masked(desired: DesiredObject) {
  return isSecret(desired.object) ? maskSecret(desired.object) : maskSecretFields(undefined, desired.object, desired.secretPaths).desired!;
}

function asDocument(desired: DesiredObject): string {
  const { file, line } = desired.source;
  const notes = [`# Source: ${file}${line ? `:${line}` : ''}`, ...(desired.unknownReason ? [`# Unknown: ${desired.unknownReason}`] : [])];
  return `---\n${notes.join('\n')}\n${stringify(desired.object, { lineWidth: 0 })}`;
}
