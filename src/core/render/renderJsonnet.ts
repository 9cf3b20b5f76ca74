// One `.jsonnet` file of an Argo CD directory source, evaluated as its repo-server does: the import path is the
// app folder, then the `libs` folders (right-most wins, as jsonnet's -J); the source's tlas and extVars, each a
// string or code. The output is one Kubernetes object or an array of them (Lists expanded); anything else fails
// there too. Values reach jsonnet through its environment (`--ext-str NAME` reads NAME), never the command line.
// Each object is declared at the file, on the line that writes it when the file's text tells (jsonnetLines.ts).
import { promises as fs } from 'node:fs';
import type { AppDefinition, DesiredObject, JsonnetSettings, JsonnetVariable } from '../model';
import type { ToolOptions } from './options';
import { jsonnetLines } from './jsonnetLines';
import { expandLists, isKubeObject } from './parseManifests';
import { assertToolAllowed, findExecutable, runTool } from './runTool';

const NO_SETTINGS: JsonnetSettings = { tlas: [], extVars: [], libs: [] };

/** The command-line flags that name the variables, and the environment that holds their values. */
function variableFlags(settings: JsonnetSettings): { args: string[]; env: Record<string, string> } {
  const args: string[] = [];
  const env: Record<string, string> = {};
  const kinds: [string, JsonnetVariable[], string, string][] = [
    ['extVar', settings.extVars, '--ext-str', '--ext-code'], ['tla', settings.tlas, '--tla-str', '--tla-code'],
  ];
  for (const [kind, variables, stringFlag, codeFlag] of kinds) {
    for (const variable of variables) {
      // jsonnet's command line splits `-abc` into flags, and takes `NAME=...` as a value: such names cannot be passed.
      if (!variable.name || variable.name.startsWith('-') || variable.name.includes('=')) {
        throw new Error(`jsonnet ${kind} name "${variable.name}" cannot be passed to the jsonnet command`);
      }
      if (variable.name in env && env[variable.name] !== variable.value) {
        throw new Error(`jsonnet tla and extVar "${variable.name}" have different values; jsonnet reads both from one environment variable`);
      }
      env[variable.name] = variable.value;
      args.push(variable.code ? codeFlag : stringFlag, variable.name);
    }
  }
  return { args, env };
}

/** The objects of jsonnet's output: one object or an array of them (nulls skipped, as Argo CD skips them); `text` is the file's. */
function objectsOf(output: string, file: string, text: string): DesiredObject[] {
  const value: unknown = JSON.parse(output);
  const items = Array.isArray(value) ? value.filter((item) => item !== null) : [value];
  const objects = items.flatMap(expandLists).map((item, index) => {
    if (!isKubeObject(item)) {
      const which = Array.isArray(value) ? `item ${index} of its output` : 'its output';
      throw new Error(`${file}: ${which} is not a Kubernetes object (apiVersion, kind, metadata.name); Argo CD renders an object or an array of objects`);
    }
    return item;
  });
  const lines = jsonnetLines(text, objects);
  return objects.map((object, index) => ({ object, source: { file, ...(lines[index] !== undefined ? { line: lines[index] } : {}) } }));
}

export async function renderJsonnetFile(app: AppDefinition, file: string, options: ToolOptions): Promise<DesiredObject[]> {
  const { tools, timeoutMs, allowTools, signal } = options;
  assertToolAllowed('jsonnet', options);
  const jsonnet = await findExecutable('jsonnet', tools?.jsonnet);
  if (!jsonnet) throw new Error(tools?.jsonnet ? `jsonnet not found at ${tools.jsonnet}` : 'jsonnet not found (it evaluates the .jsonnet files)');
  const settings = app.directory?.jsonnet ?? NO_SETTINGS;
  const variables = variableFlags(settings);
  const args = [...[app.path, ...settings.libs].flatMap((dir) => ['-J', dir]), ...variables.args, '--', file];
  // JSONNET_PATH would add folders Argo CD's repo-server does not search.
  const run = await runTool(jsonnet, args, {
    cwd: app.path, env: { ...variables.env, JSONNET_PATH: undefined }, timeoutMs, allowTools, signal, label: 'jsonnet',
  });
  if (run.code !== 0) throw new Error(run.stderr.trim() || `jsonnet exited with ${run.code} evaluating ${file}`);
  return objectsOf(run.stdout, file, await fs.readFile(file, 'utf8'));
}
