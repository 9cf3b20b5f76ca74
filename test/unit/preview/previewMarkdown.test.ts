// The PR comment's layout on hand-made results: the parts the integration tests cannot easily provoke
// (backticks in a value, Markdown and HTML in names, a cap below the summary's own size).
import * as assert from 'node:assert/strict';
import { formatPreviewMarkdown } from '../../../src/cli/previewMarkdown';
import { NO_CHANGES, previewExitCode, type PreviewObject, type PreviewResult } from '../../../src/core/preview/model';

function result(objects: PreviewObject[], change: 'changed' | 'unchanged' | 'unknown' = 'changed'): PreviewResult {
  const counts = { ...NO_CHANGES };
  for (const object of objects) counts[object.change] += 1;
  return {
    repo: '/repo', generatedAt: '2026-12-02T00:00:00.000Z', base: { ref: 'main', commit: 'a'.repeat(40) }, head: { ref: 'working tree' },
    live: false, changedFiles: [], rendering: { apps: 1, renderedAgain: 1 }, counts, problems: [],
    environments: [{ name: 'prod', counts, apps: [{ environment: 'prod', name: 'web_<b>|x', change, renderedAgain: true, counts, objects, ...(change === 'unknown' ? { reason: 'head: kustomize failed' } : {}) }] }],
  };
}

const configMap = (value: string, change: PreviewObject['change'] = 'changed'): PreviewObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', namespace: 'prod', name: 'web', change, changedPaths: ['/data/a'],
  base: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { a: 'old' } },
  head: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { a: value } },
});

describe('preview markdown (a pull request comment)', () => {
  it('fences a diff with more backticks than any value holds, and escapes names in the table and summaries', () => {
    const comment = formatPreviewMarkdown(result([configMap('```` closed?')]));
    assert.match(comment, /\n`````diff\n[\s\S]*\n`````\n/);
    assert.match(comment, /\| prod \| web\\_&lt;b&gt;\\\|x \| changed \| 0 \| 1 \| 0 \| 0 \|/);
    assert.match(comment, /<summary>prod\/web_&lt;b&gt;\|x: changed ConfigMap\/prod\/web: \/data\/a<\/summary>/);
  });

  it('keeps the whole summary even when it alone is over the cap, with every diff left out and said so', () => {
    const comment = formatPreviewMarkdown(result([configMap('new'), { ...configMap('newer'), name: 'api' }]), 100);
    assert.doesNotMatch(comment, /<details>/);
    assert.match(comment, /> 2 more object diffs left out: the comment is capped at 100 characters/);
  });

  it('lists an app that could not be compared with its reason; the exit status is 2 when nothing else changes', () => {
    const unknown = result([], 'unknown');
    assert.match(formatPreviewMarkdown(unknown), /- \*\*prod\/web\\_&lt;b&gt;\\\|x\*\* not compared: head: kustomize failed/);
    assert.equal(previewExitCode(unknown), 2);
    assert.equal(previewExitCode(result([configMap('new')])), 1);
    assert.equal(previewExitCode(result([configMap('old', 'unchanged')], 'unchanged')), 0);
  });
});
