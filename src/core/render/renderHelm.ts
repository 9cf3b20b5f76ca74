// Helm apps through `helm template`. Inline values (HelmRelease `spec.values`, Argo `helm.values`) go to helm
// on stdin (`-f -`), never on the command line. A remote chart is fetched first (sources/remoteChart.ts).
import path from 'node:path';
import type { AppDefinition, DesiredObject } from '../model';
import type { ToolOptions } from './options';
import { isBuildConfig, isKubeObject, parseYamlDocuments } from './parseManifests';
import { assertToolAllowed, findExecutable, runTool } from './runTool';
import { chartToRender } from '../sources/remoteChart';

/** `# Source: <chart>/templates/x.yaml` -> the file inside the chart folder. */
function templateFile(comment: string | undefined, chartPath: string): string {
  const match = /Source:\s*(\S+)/.exec(comment ?? '');
  if (!match) return path.join(chartPath, 'Chart.yaml');
  return path.join(chartPath, match[1].split('/').slice(1).join('/'));
}

export async function renderHelm(app: AppDefinition, options: ToolOptions = {}): Promise<DesiredObject[]> {
  const { tools, timeoutMs, allowTools, signal } = options;
  assertToolAllowed('helm', options);
  const helm = await findExecutable('helm', tools?.helm);
  if (!helm) throw new Error(tools?.helm ? `helm not found at ${tools.helm}` : 'helm not found');
  const source = app.helm!;
  const chart = await chartToRender(app.helm, options);
  const args = ['template', source.releaseName, chart.path, '--include-crds', '--namespace', app.namespace ?? 'default'];
  for (const file of source.valuesFiles) args.push('--values', file);
  const hasInlineValues = !!source.values && Object.keys(source.values).length > 0;
  if (hasInlineValues) args.push('--values', '-');
  const run = await runTool(helm, args, {
    cwd: chart.archive ? path.dirname(chart.path) : chart.path, timeoutMs, allowTools, signal, label: 'helm template', input: hasInlineValues ? JSON.stringify(source.values) : undefined,
  });
  if (run.code !== 0) throw new Error(run.stderr.trim() || `helm exited with ${run.code}`);
  const objects: DesiredObject[] = [];
  for (const document of parseYamlDocuments(run.stdout, `helm template ${source.releaseName}`)) {
    if (!isKubeObject(document.value) || isBuildConfig(document.value)) continue;
    // A fetched chart's templates are in no file here: its objects go to the HelmRelease or Application declaring it.
    const from = chart.archive ? app.declaredAt : { file: templateFile(document.comment, chart.path) };
    objects.push({ object: document.value, source: from });
  }
  return objects;
}
