// The rows of the Drift view in preview mode: Environment -> App -> Object, for the apps the previewed change
// touches (a reviewer's question is "what does this change", so unchanged apps and objects are left out; an
// app's row says how many of its objects stay the same). Each object says how it changes (added, changed,
// removed, pruned) by its description, icon and contextValue, and with the cluster what live says of it.
import * as vscode from 'vscode';
import { describeRef, refId } from '../../core/identity';
import type { PreviewApp, PreviewChange, PreviewCounts, PreviewEnvironment, PreviewObject } from '../../core/preview/model';
import { previewAppContextValue, previewObjectContextValue } from '../contextValues';

export type PreviewNode = PreviewEnvironmentNode | PreviewAppNode | PreviewObjectNode;

export class PreviewEnvironmentNode {
  readonly kind = 'previewEnvironment';
  constructor(readonly root: string, readonly result: PreviewEnvironment) {}
  get id(): string { return `preview-env:${this.root}|${this.result.name}`; }
}

export class PreviewAppNode {
  readonly kind = 'previewApp';
  constructor(readonly root: string, readonly result: PreviewApp) {}
  get id(): string { return `preview-app:${this.root}|${this.result.environment}/${this.result.name}`; }
  get environment(): string { return this.result.environment; }
  get name(): string { return this.result.name; }
}

export class PreviewObjectNode {
  readonly kind = 'previewObject';
  constructor(readonly root: string, readonly app: PreviewApp, readonly object: PreviewObject) {}
  get id(): string { return `preview-obj:${this.root}|${this.app.environment}/${this.app.name}/${refId(this.object)}`; }
  get label(): string { return `${this.object.kind}/${this.object.name}`; }
}

export function isPreviewNode(node: unknown): node is PreviewNode {
  return !!node && typeof node === 'object' && 'kind' in node && typeof node.kind === 'string' && node.kind.startsWith('preview');
}

const changeIcons: Record<PreviewChange, [icon: string, color: string]> = {
  added: ['diff-added', 'gitDecoration.addedResourceForeground'],
  changed: ['diff-modified', 'gitDecoration.modifiedResourceForeground'],
  removed: ['diff-removed', 'gitDecoration.deletedResourceForeground'],
  pruned: ['trash', 'gitDecoration.deletedResourceForeground'],
  unchanged: ['circle-small', 'disabledForeground'],
};

function changeIcon(change: PreviewChange | 'unknown'): vscode.ThemeIcon {
  if (change === 'unknown') return new vscode.ThemeIcon('question', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  const [icon, color] = changeIcons[change];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

/** "1 added, 2 changed, 1 pruned": only what changes. */
export function describePreviewCounts(counts: PreviewCounts): string {
  const parts = (['added', 'changed', 'removed', 'pruned'] as const).filter((change) => counts[change] > 0).map((change) => `${counts[change]} ${change}`);
  return parts.join(', ') || 'no change';
}

export function previewTreeItem(node: PreviewNode): vscode.TreeItem {
  if (node.kind === 'previewEnvironment') return environmentItem(node);
  if (node.kind === 'previewApp') return appItem(node);
  return objectItem(node);
}

function environmentItem(node: PreviewEnvironmentNode): vscode.TreeItem {
  const { result } = node;
  const item = new vscode.TreeItem(result.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon('git-compare');
  item.description = [result.context, describePreviewCounts(result.counts), result.reason && `live: ${result.reason}`].filter(Boolean).join(' · ');
  item.contextValue = 'preview:environment';
  item.tooltip = new vscode.MarkdownString(`**Environment ${result.name}** in preview`).appendMarkdown(result.reason ? '\n\nNot compared live: ' : '').appendText(result.reason ?? '');
  return item;
}

function appItem(node: PreviewAppNode): vscode.TreeItem {
  const { result } = node;
  const item = new vscode.TreeItem(result.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  item.iconPath = changeIcon(result.change);
  const unchanged = result.counts.unchanged ? `${result.counts.unchanged} unchanged not shown` : undefined;
  item.description = [result.change === 'changed' ? undefined : `app ${result.change}`, result.reason ?? describePreviewCounts(result.counts), unchanged].filter(Boolean).join(' · ');
  item.contextValue = previewAppContextValue(result);
  const tooltip = new vscode.MarkdownString(`**${result.name}** in ${result.environment}: ${result.change}`);
  if (result.reason) tooltip.appendMarkdown('\n\n').appendText(result.reason);
  tooltip.appendMarkdown(result.renderedAgain ? '\n\nRendered at both revisions' : '\n\nNo input differs: the base render is the head\'s');
  item.tooltip = tooltip;
  return item;
}

function objectItem(node: PreviewObjectNode): vscode.TreeItem {
  const { object } = node;
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.iconPath = changeIcon(object.change);
  const live = object.headVsLive ? `live ${object.headVsLive.status}` : undefined;
  item.description = [object.change, live, object.namespace].filter(Boolean).join(' · ');
  item.contextValue = previewObjectContextValue(object);
  const tooltip = new vscode.MarkdownString('**').appendText(describeRef(object)).appendMarkdown(`** (${object.apiVersion}): ${object.change}`);
  if (object.changedPaths?.length) tooltip.appendMarkdown('\n\nChanged: ').appendText(object.changedPaths.slice(0, 8).join(', '));
  if (object.headVsLive) tooltip.appendMarkdown('\n\nLive vs head (what applying would do): ').appendText(object.headVsLive.status);
  if (object.liveVsBase) tooltip.appendMarkdown('\n\nLive vs base (drift today): ').appendText(object.liveVsBase.status);
  if (object.change === 'pruned') tooltip.appendMarkdown('\n\nOwned by the app live and no longer rendered: the controller or a sync would delete it');
  item.tooltip = tooltip;
  item.command = { command: 'driftline.openPreviewDiff', title: 'Open Preview Diff', arguments: [node] };
  return item;
}
