// A HelmRelease's `spec.chart.spec.valuesFiles`, as source-controller builds the chart: the files merged in order
// and packaged as the chart's values.yaml, replacing its defaults (helm/chart mergeChartValues / mergeFileValues +
// OverwriteChartDefaultValues). For a chart from a Helm repository they are files inside the fetched chart
// (values.yaml standing for its own defaults); for a chart in this repository, files of the repository. Here the
// chart is copied into a temporary folder with that values.yaml, and helm renders the copy.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { AppDefinition } from '../model';
import { chartArchiveFiles } from '../sources/chartArchive';
import type { ChartToRender } from '../sources/remoteChart';
import { HelmValuesError, mergeMaps, parseValues, type Values } from './helmValues';
import { describeRelease } from './renderHelmRelease';

/** Where helm's loader keeps what is no plain file of the chart (templates, subcharts), which valuesFiles cannot name. */
const notChartFile = (name: string) => /^(templates|charts)\//.test(name);

/** The one merge of valuesFiles: each file's map over the ones before; a missing file fails naming it unless `ignoreMissing`. */
function mergeValuesFiles(paths: string[], read: (listed: string) => Buffer | undefined, ignoreMissing: boolean, where: string, holder: string): Values {
  let merged: Values = {};
  for (const listed of paths) {
    const data = read(listed);
    if (!data) {
      if (ignoreMissing) continue;
      throw new HelmValuesError(`${where}: chart.spec.valuesFiles names ${listed}, which ${holder} does not have`);
    }
    merged = mergeMaps(merged, parseValues(data.toString('utf8'), `${where}: chart.spec.valuesFiles ${listed}`));
  }
  return merged;
}

/** The fetched chart's new values.yaml from files inside it. */
export function mergeChartValuesFiles(files: Map<string, Buffer>, paths: string[], ignoreMissing: boolean, where: string): Values {
  return mergeValuesFiles(paths, (listed) => {
    const name = path.posix.normalize(listed).replace(/^\.\//, '');
    return notChartFile(name) ? undefined : files.get(name);
  }, ignoreMissing, where, 'the chart');
}

export interface UnpackedChart {
  folder: string;
  remove(): Promise<void>;
}

async function chartCopy(fill: (folder: string) => Promise<void>, values: Values): Promise<UnpackedChart> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-chart-'));
  try {
    await fill(folder);
    await fs.writeFile(path.join(folder, 'values.yaml'), stringify(values, { lineWidth: 0 }));
  } catch (error) {
    await fs.rm(folder, { recursive: true, force: true });
    throw error;
  }
  return { folder, remove: () => fs.rm(folder, { recursive: true, force: true }) };
}

/**
 * The chart a HelmRelease with valuesFiles renders: a copy with its values.yaml replaced, or undefined when the app
 * is no HelmRelease or lists none (then helm renders `chart` as it is).
 */
export async function chartWithReleaseValuesFiles(app: AppDefinition, chart: ChartToRender): Promise<UnpackedChart | undefined> {
  const release = app.helm?.release;
  if (!release) return undefined;
  const where = describeRelease(app, release);
  const ignoreMissing = release.ignoreMissingValuesFiles === true;
  if (chart.archive) {
    if (!release.chartValuesFiles?.length) return undefined;
    const files = chartArchiveFiles(await fs.readFile(chart.path));
    return chartCopy(async (folder) => {
      for (const [name, data] of files) {
        await fs.mkdir(path.dirname(path.join(folder, name)), { recursive: true });
        await fs.writeFile(path.join(folder, name), data);
      }
    }, mergeChartValuesFiles(files, release.chartValuesFiles, ignoreMissing, where));
  }
  const listed = app.helm?.valuesFiles ?? [];
  if (listed.length === 0) return undefined;
  const contents = new Map(await Promise.all(listed.map(async (file) => [file, await fs.readFile(file).catch(() => undefined)] as const)));
  const values = mergeValuesFiles(listed, (file) => contents.get(file), ignoreMissing, where, 'the repository');
  return chartCopy((folder) => fs.cp(chart.path, folder, { recursive: true }), values);
}
