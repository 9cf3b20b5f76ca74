// `spec.chart.spec.valuesFiles` of a chart from a Helm repository: files inside the chart, which source-controller
// merges in order (values.yaml standing for the chart's own defaults) and packages as the chart's values.yaml,
// replacing its defaults (helm/chart mergeChartValues + OverwriteChartDefaultValues). Here the fetched archive is
// unpacked into a temporary folder with that values.yaml, and helm renders the folder.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { HelmReleaseSettings } from '../model';
import { chartArchiveFiles } from '../sources/chartArchive';
import { HelmValuesError, mergeMaps, parseValues, type Values } from './helmValues';

/** Where helm's loader keeps what is no plain file of the chart (templates, subcharts), which valuesFiles cannot name. */
const notChartFile = (name: string) => /^(templates|charts)\//.test(name);

/** The chart's new values.yaml: the listed files merged in order; a missing one fails naming it unless `ignoreMissing`. */
export function mergeChartValuesFiles(files: Map<string, Buffer>, paths: string[], ignoreMissing: boolean, where: string): Values {
  let merged: Values = {};
  for (const listed of paths) {
    const name = path.posix.normalize(listed).replace(/^\.\//, '');
    const data = notChartFile(name) ? undefined : files.get(name);
    if (!data) {
      if (ignoreMissing) continue;
      throw new HelmValuesError(`${where}: chart.spec.valuesFiles names ${listed}, which the chart does not have`);
    }
    merged = mergeMaps(merged, parseValues(data.toString('utf8'), `${where}: chart.spec.valuesFiles ${listed}`));
  }
  return merged;
}

export interface UnpackedChart {
  folder: string;
  remove(): Promise<void>;
}

/** The archive unpacked with its values.yaml replaced as source-controller replaces it; `where` names the HelmRelease. */
export async function chartWithValuesFiles(archive: string, release: HelmReleaseSettings, where: string): Promise<UnpackedChart> {
  const files = chartArchiveFiles(await fs.readFile(archive));
  const values = mergeChartValuesFiles(files, release.chartValuesFiles ?? [], release.ignoreMissingValuesFiles === true, where);
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-chart-'));
  try {
    for (const [name, data] of files) {
      await fs.mkdir(path.dirname(path.join(folder, name)), { recursive: true });
      await fs.writeFile(path.join(folder, name), data);
    }
    await fs.writeFile(path.join(folder, 'values.yaml'), stringify(values, { lineWidth: 0 }));
  } catch (error) {
    await fs.rm(folder, { recursive: true, force: true });
    throw error;
  }
  return { folder, remove: () => fs.rm(folder, { recursive: true, force: true }) };
}
