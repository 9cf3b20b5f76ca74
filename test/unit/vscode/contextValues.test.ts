// package.json's menus against the rows of the Drift view: every `viewItem =~ /.../` rule must match some
// contextValue a row can carry, and every alternative it spells out must matter, so that no rule is dead.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { appStatus } from '../../../src/core/drift/summarize';
import type { StatusCounts, SyncStatus } from '../../../src/core/model';
import {
  appContextValue, environmentContextValue, folderContextValue, previewAppContextValue, previewObjectContextValue, resourceContextValue,
} from '../../../src/vscode/contextValues';

const ROOT = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const STATUSES: SyncStatus[] = ['Synced', 'OutOfSync', 'Missing', 'Extra', 'Unknown'];

/** Every contextValue a row can carry, built by the functions the tree uses. */
function possibleContextValues(): Set<string> {
  const values = new Set<string>([folderContextValue()]);
  for (const isProtected of [false, true]) values.add(environmentContextValue({ protected: isProtected }));
  // An app's status is its resources' roll-up: every combination of counts, with and without a reason.
  const fields: (keyof StatusCounts)[] = ['outOfSync', 'missing', 'extra', 'unknown'];
  for (let mask = 0; mask < 1 << fields.length; mask++) {
    const counts: StatusCounts = { synced: 1, outOfSync: 0, missing: 0, extra: 0, unknown: 0 };
    fields.forEach((field, bit) => { if (mask & (1 << bit)) counts[field] = 1; });
    for (const reason of [undefined, 'why']) {
      for (const controller of [undefined, { kind: 'Application' }, { kind: 'Kustomization' }, { kind: 'HelmRelease' }]) {
        values.add(appContextValue({ status: appStatus(counts, reason), controller }));
      }
    }
  }
  for (const status of STATUSES) {
    // Extra objects are only live (no source in Git); Missing ones only in Git (nothing live to reveal).
    for (const hasSource of status === 'Extra' ? [false] : [false, true]) {
      for (const isLiveSecret of status === 'Missing' ? [false] : [false, true]) values.add(resourceContextValue({ status, hasSource, isLiveSecret }));
      // A live Rollout (never a Secret too).
      if (status !== 'Missing') values.add(resourceContextValue({ status, hasSource, isLiveSecret: false, isLiveRollout: true }));
    }
  }
  // Preview mode's rows.
  for (const change of ['added', 'removed', 'changed', 'unknown']) values.add(previewAppContextValue({ change }));
  for (const change of ['added', 'changed', 'removed', 'pruned']) {
    for (const live of [undefined, { status: 'Synced' }]) values.add(previewObjectContextValue({ change, headVsLive: live }));
  }
  return values;
}

interface ItemRule { command: string; when: string; group?: string }
const itemRules: ItemRule[] = manifest.contributes.menus['view/item/context'];
const values = [...possibleContextValues()];

function viewItemPattern(when: string): RegExp | undefined {
  const match = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(when);
  return match ? new RegExp(match[1]) : undefined;
}

/** The pattern with one alternative of a (non-nested) group left out, for each alternative. */
function withoutEachAlternative(source: string): { alternative: string; pattern: RegExp }[] {
  const variants: { alternative: string; pattern: RegExp }[] = [];
  for (const group of source.matchAll(/\(([^()]*\|[^()]*)\)/g)) {
    const alternatives = group[1].split('|');
    for (const alternative of alternatives) {
      const rest = alternatives.filter((other) => other !== alternative).join('|');
      const start = group.index + 1;
      variants.push({ alternative, pattern: new RegExp(source.slice(0, start) + rest + source.slice(start + group[1].length)) });
    }
  }
  return variants;
}

describe('Drift view menus (package.json) and the rows\' contextValues', () => {
  it('lists the contextValues rows can carry', () => {
    assert.ok(values.includes('app:OutOfSync:flux') && values.includes('resource:Synced:source:secret'), values.join(' '));
    assert.ok(!values.some((value) => /^app:(Missing|Extra)/.test(value)), 'an app rolls Missing and Extra up into OutOfSync');
  });

  for (const rule of itemRules) {
    const pattern = viewItemPattern(rule.when);
    it(`${rule.command} (${rule.group}): "${rule.when}" can match a row`, () => {
      assert.match(rule.when, /view == driftline\.drift/);
      assert.ok(pattern, 'a view/item/context rule names the rows it is for');
      const matched = values.filter((value) => pattern.test(value));
      assert.ok(matched.length > 0, `matches none of ${values.join(', ')}`);
      for (const { alternative, pattern: narrower } of withoutEachAlternative(pattern.source)) {
        assert.notDeepEqual(values.filter((value) => narrower.test(value)), matched, `the alternative "${alternative}" matches no row the rest does not`);
      }
    });
  }

  it('names only commands the extension contributes', () => {
    const contributed = new Set(manifest.contributes.commands.map((command: { command: string }) => command.command));
    for (const [menu, rules] of Object.entries(manifest.contributes.menus as Record<string, ItemRule[]>)) {
      for (const rule of rules) assert.ok(contributed.has(rule.command), `${menu}: ${rule.command}`);
    }
  });
});
