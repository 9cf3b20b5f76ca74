// Helm apps through `helm template`. Inline values (HelmRelease `spec.values`, Argo `helm.values`) go to helm
// on stdin (`-f -`), never on the command line. A remote chart is fetched first (sources/remoteChart.ts).
import path from 'node:path';
import type { AppDefinition, DesiredObject } from '../model';
import { isBuildConfig, isKubeObject, parseYamlDocuments } from './parseManifests';
import { assertToolAllowed, findExecutable, runTool } from './runTool';
import { chartToRender } from '../sources/remoteChart';
import { chartWithReleaseValuesFiles } from './chartValuesFiles';
import { prepareHelmRelease, type ChartDocument, type HelmReleaseOptions } from './renderHelmRelease';
import type { DecryptManifest } from './options';
import { argoHelmArgs } from './argoHelmArgs';

/** `# Source: <chart>/templates/x.yaml` -> `templates/x.yaml`, the file inside the chart folder. */
function templateOf(comment: string | undefined): string | undefined {
  const match = /Source:\s*(\S+)/.exec(comment ?? '');
  return match ? match[1].split('/').slice(1).join('/') : undefined;
}

/** A Flux HelmRelease (HelmSource.release) renders as helm-controller renders it (renderHelmRelease.ts); `decrypt` reads its SOPS valuesFrom. */
export async function renderHelm(app: AppDefinition, options: HelmReleaseOptions = {}, decrypt?: DecryptManifest): Promise<DesiredObject[]> {
  const { tools, timeoutMs, allowTools, signal } = options;
  assertToolAllowed('helm', options);
  const helm = await findExecutable('helm', tools?.helm);
  if (!helm) throw new Error(tools?.helm ? `helm not found at ${tools.helm}` : 'helm not found');
  const source = app.helm!;
  const chart = await chartToRender(app.helm, options);
  const release = source.release && await prepareHelmRelease(app, source.release, options, decrypt);
  if (release && release.note) options.sourceNotes?.push({ text: release.note, provisional: true });
  const values = release ? release.values : source.values;
  // A HelmRelease's chart.spec.valuesFiles replace its chart's values.yaml, as source-controller builds the chart.
  const unpacked = await chartWithReleaseValuesFiles(app, chart);
  const chartPath = unpacked?.folder ?? chart.path;
  // An Argo CD source may skip the chart's CRDs and name the namespace helm templates with (default the destination).
  const args = ['template', source.releaseName, chartPath, ...source.argo?.skipCrds ? [] : ['--include-crds'],
    '--namespace', source.argo?.namespace ?? app.namespace ?? 'default', ...release ? release.args : []];
  for (const file of unpacked ? [] : source.valuesFiles) args.push('--values', file);
  const hasInlineValues = !!values && Object.keys(values).length > 0;
  if (hasInlineValues) args.push('--values', '-');
  if (source.argo) args.push(...argoHelmArgs(source.argo, await options.helmCluster?.capabilities()));
  let run;
  try {
    run = await runTool(helm, args, {
      cwd: chart.archive && !unpacked ? path.dirname(chart.path) : chartPath, timeoutMs, allowTools, signal, label: 'helm template', input: hasInlineValues ? JSON.stringify(values) : undefined,
    });
  } finally {
    await unpacked?.remove();
  }
  if (run.code !== 0) throw new Error(run.stderr.trim() || `helm exited with ${run.code}`);
  const documents: ChartDocument[] = [];
  for (const document of parseYamlDocuments(run.stdout, `helm template ${source.releaseName}`)) {
    if (!isKubeObject(document.value) || isBuildConfig(document.value)) continue;
    documents.push({ object: document.value, template: templateOf(document.comment) });
  }
  return (release ? await release.finish(documents) : documents).map(({ template, ...desired }) => ({
    ...desired,
    // A fetched chart's templates are in no file here: its objects go to the HelmRelease or Application declaring it.
    source: chart.archive ? app.declaredAt : { file: path.join(chart.path, template ?? 'Chart.yaml') },
  }));
}
