// `driftline tree [--env E]`: each environment's apps as the controllers apply them (like `flux tree
// kustomization`): a Flux Kustomization holds the Kustomizations and HelmReleases its build emits; other apps
// (Argo CD Applications, .driftline.yaml apps, folder conventions) sit at the top. From Git alone: no cluster.
import path from 'node:path';
import { buildAppTree, type AppTreeNode } from '../core/appTree';
import type { AppDefinition, RepoModel } from '../core/model';
import { runFlagCommand } from './flagCommand';
import { stringFlag, type Flags } from './flags';
import { withInterrupt } from './interrupt';
import type { CliIO } from './io';
import { noSuchEnvironment, writeProblems } from './listOptions';
import { withWorkspace } from './workspaceArgs';

const HELP = `Usage: driftline tree [--env E] [options]

Prints each environment's apps as the GitOps controllers apply them: a Flux Kustomization with the
Kustomizations and HelmReleases its build applies below it, "after X" for its dependsOn; then the other apps.
Reads Git only (no cluster).

  --env NAME     one environment
  --repo DIR     the GitOps repository (default: the current directory)
  --json         {repo, environments: [{name, apps: [... children]}], problems}
`;

export function runTree(args: string[], io: CliIO): Promise<number> {
  return runFlagCommand({ name: 'tree', help: HELP, flags: { values: ['env', 'repo'], switches: ['json'] }, validate() {}, run: tree }, args, io);
}

async function tree(flags: Flags, io: CliIO): Promise<number> {
  return withWorkspace(flags, async (workspace) => withInterrupt(async (signal) => {
    const model = await workspace.discover(signal);
    const wanted = stringFlag(flags, 'env');
    const environments = model.environments.filter((environment) => !wanted || environment.name === wanted);
    if (wanted && environments.length === 0) {
      io.stderr.write(`driftline tree: ${noSuchEnvironment(model, wanted)}\n`);
      return 2;
    }
    const forests = environments.map((environment) => ({ environment, roots: buildAppTree(environment.apps) }));
    if (flags.json) {
      const json = forests.map(({ environment, roots }) => ({ name: environment.name, apps: roots.map((root) => asJson(root, model)) }));
      io.stdout.write(`${JSON.stringify({ repo: model.root, environments: json, problems: model.problems }, null, 2)}\n`);
      return 0;
    }
    writeProblems(model.problems, io);
    if (forests.length === 0) io.stdout.write(`no environments found in ${model.root}\n`);
    for (const { environment, roots } of forests) {
      io.stdout.write(`${environment.name}${environment.context ? ` (context ${environment.context})` : ''}\n`);
      io.stdout.write(drawForest(roots, '', model));
    }
    return 0;
  }), io);
}

/** `Kustomization/flux-system/apps` for a controller's app, else the app's name. */
function labelOf(app: AppDefinition): string {
  return app.controller ? `${app.controller.kind}/${app.controller.namespace}/${app.controller.name}` : app.name;
}

function notesOf(app: AppDefinition, model: RepoModel): string[] {
  return [
    path.relative(model.root, app.path) || '.',
    ...(app.flux?.dependsOn.length ? [`after ${app.flux.dependsOn.join(', ')}`] : []),
    ...(app.flux?.suspend ? ['suspended'] : []),
    ...(app.unknownReason ? [`Unknown: ${app.unknownReason}`] : []),
  ];
}

function drawForest(nodes: AppTreeNode<AppDefinition>[], indent: string, model: RepoModel): string {
  return nodes.map((node, index) => {
    const last = index === nodes.length - 1;
    const line = `${indent}${last ? '└── ' : '├── '}${labelOf(node.app)}  ${notesOf(node.app, model).join(' · ')}\n`;
    return line + drawForest(node.children, `${indent}${last ? '    ' : '│   '}`, model);
  }).join('');
}

function asJson(node: AppTreeNode<AppDefinition>, model: RepoModel): unknown {
  const { app } = node;
  return {
    name: app.name, renderer: app.renderer, path: path.relative(model.root, app.path) || '.', origin: app.origin,
    ...(app.controller ? { controller: app.controller } : {}),
    ...(app.flux ? { dependsOn: app.flux.dependsOn, suspend: app.flux.suspend } : {}),
    ...(app.unknownReason ? { unknownReason: app.unknownReason } : {}),
    children: node.children.map((child) => asJson(child, model)),
  };
}
