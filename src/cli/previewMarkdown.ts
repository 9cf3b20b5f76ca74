// `driftline preview --format markdown`: a pull request comment. A summary table per environment/app, then one
// collapsible <details> per changed object with its diffs. GitHub refuses comments over 65,536 characters: the
// comment is capped (default 65,000), the summary always kept, and diffs past the cap left out with a note.
import type { PreviewResult } from '../core/preview/model';
import { objectSections, summaryLine, summaryRows, titleOf, type ObjectSection } from './previewReport';

export const DEFAULT_MAX_CHARS = 65_000;

export function formatPreviewMarkdown(result: PreviewResult, maxChars = DEFAULT_MAX_CHARS): string {
  const summary = summaryOf(result);
  const sections = objectSections(result);
  const blocks: string[] = [];
  let used = summary.length;
  let left = 0;
  for (const [index, section] of sections.entries()) {
    const block = detailsOf(section);
    // Room is kept for the note that would follow if a later block did not fit.
    const reserve = index === sections.length - 1 ? 0 : truncationNote(sections.length - index - 1, maxChars).length;
    if (left === 0 && used + block.length + reserve <= maxChars) {
      blocks.push(block);
      used += block.length;
    } else left += 1;
  }
  const note = left ? truncationNote(left, maxChars) : '';
  return `${summary}${blocks.join('')}${note}`;
}

function summaryOf(result: PreviewResult): string {
  const rows = summaryRows(result);
  const lines = [`### ${escapeMarkdown(titleOf(result))}`, '', escapeMarkdown(summaryLine(result)), ''];
  if (rows.length) {
    lines.push('| Environment | App | Change | Added | Changed | Removed | Pruned |', '|---|---|---|---:|---:|---:|---:|');
    for (const row of rows) {
      lines.push(`| ${cell(row.environment)} | ${cell(row.app)} | ${row.change} | ${row.added} | ${row.changed} | ${row.removed} | ${row.pruned} |`);
    }
    lines.push('');
  }
  for (const row of rows) if (row.reason) lines.push(`- **${cell(`${row.environment}/${row.app}`)}** not compared: ${escapeMarkdown(row.reason)}`);
  for (const environment of result.environments) if (environment.reason) lines.push(`- **${cell(environment.name)}**: cluster not compared: ${escapeMarkdown(environment.reason)}`);
  return `${lines.join('\n').trimEnd()}\n\n`;
}

function detailsOf(section: ObjectSection): string {
  const parts = [`<details><summary>${escapeHtml(`${section.app}: ${section.headline}`)}</summary>`, ''];
  if (section.liveLine) parts.push(escapeMarkdown(section.liveLine), '');
  if (section.gitDiff) parts.push(fenced(section.gitDiff));
  if (section.liveDiff) parts.push('What applying it would change live:', '', fenced(section.liveDiff));
  parts.push('</details>', '');
  return `${parts.join('\n')}\n`;
}

function truncationNote(left: number, maxChars: number): string {
  return `> ${left} more object diff${left === 1 ? '' : 's'} left out: the comment is capped at ${maxChars} characters ` +
    '(`driftline preview` prints them all; raise the cap with `--max-chars`).\n';
}

/** A code block whose fence is longer than any run of backticks inside, so no YAML value can close it. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}diff\n${text.trimEnd()}\n${fence}\n`;
}

function cell(text: string): string {
  return escapeMarkdown(text).replace(/\|/g, '\\|');
}

function escapeMarkdown(text: string): string {
  return escapeHtml(text).replace(/([\\`*_[\]])/g, '\\$1');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
