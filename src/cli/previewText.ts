// `driftline preview --format text`: the summary as an aligned table, then each changed object with its diffs.
import type { PreviewResult } from '../core/preview/model';
import { objectSections, summaryLine, summaryRows, titleOf } from './previewReport';

export function formatPreviewText(result: PreviewResult): string {
  const header = ['ENVIRONMENT', 'APP', 'CHANGE', 'ADDED', 'CHANGED', 'REMOVED', 'PRUNED'];
  const rows = summaryRows(result).map((row) => [row.environment, row.app, row.change, ...[row.added, row.changed, row.removed, row.pruned].map(String)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const out = [titleOf(result), summaryLine(result), ''];
  if (rows.length) out.push(line(header), ...rows.map(line), '');
  for (const row of summaryRows(result)) if (row.reason) out.push(`${row.environment}/${row.app}: ${row.reason}`);
  for (const environment of result.environments) if (environment.reason) out.push(`${environment.name}: cluster not compared: ${environment.reason}`);
  for (const problem of result.problems) out.push(`warning: ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
  for (const section of objectSections(result)) {
    out.push(`${section.app}: ${section.headline}`);
    if (section.liveLine) out.push(`  ${section.liveLine}`);
    if (section.gitDiff) out.push(section.gitDiff.trimEnd());
    if (section.liveDiff) out.push(section.liveDiff.trimEnd());
  }
  return `${out.join('\n').trimEnd()}\n`;
}
