// `driftline preview --format html`: one self-contained page (a CI artifact): the summary table and each changed
// object's diffs in collapsible sections.
import type { PreviewResult } from '../core/preview/model';
import { escapeHtml } from './previewMarkdown';
import { objectSections, summaryLine, summaryRows, titleOf } from './previewReport';

export function formatPreviewHtml(result: PreviewResult): string {
  const rows = summaryRows(result).map((row) => `<tr><td>${escapeHtml(row.environment)}</td><td>${escapeHtml(row.app)}</td><td>${row.change}</td>` +
    `<td>${row.added}</td><td>${row.changed}</td><td>${row.removed}</td><td>${row.pruned}</td><td>${escapeHtml(row.reason ?? '')}</td></tr>`);
  const sections = objectSections(result).map((section) => [
    `<details><summary>${escapeHtml(`${section.app}: ${section.headline}`)}</summary>`,
    section.liveLine ? `<p>${escapeHtml(section.liveLine)}</p>` : '',
    section.gitDiff ? `<pre>${escapeHtml(section.gitDiff)}</pre>` : '',
    section.liveDiff ? `<p>What applying it would change live:</p><pre>${escapeHtml(section.liveDiff)}</pre>` : '',
    '</details>',
  ].filter(Boolean).join('\n'));
  return [
    '<!DOCTYPE html>', '<html><head><meta charset="utf-8">', `<title>${escapeHtml(titleOf(result))}</title>`,
    '<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}pre{background:#f6f8fa;padding:6px}</style>',
    '</head><body>', `<h1>${escapeHtml(titleOf(result))}</h1>`, `<p>${escapeHtml(summaryLine(result))}</p>`,
    rows.length ? `<table><tr><th>Environment</th><th>App</th><th>Change</th><th>Added</th><th>Changed</th><th>Removed</th><th>Pruned</th><th>Reason</th></tr>\n${rows.join('\n')}</table>` : '',
    ...sections, '</body></html>', '',
  ].join('\n');
}
