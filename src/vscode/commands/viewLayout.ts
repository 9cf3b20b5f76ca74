// Driftline: Show Apps as Tree / as List: the Drift view's toggle between the Flux tree and one list per
// environment (the setting driftline.view.layout, written where it is set now so the toggle always takes effect).
import * as vscode from 'vscode';
import { VIEW_LAYOUT_SETTING, type ViewLayout } from '../settings';
import { DriftlineCommand } from './command';

async function showAs(layout: ViewLayout): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('driftline');
  const set = configuration.inspect<string>(VIEW_LAYOUT_SETTING);
  const target = set?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await configuration.update(VIEW_LAYOUT_SETTING, layout, target);
}

export const showAsTreeCommand: DriftlineCommand = { id: 'driftline.showAsTree', run: () => showAs('tree') };
export const showAsListCommand: DriftlineCommand = { id: 'driftline.showAsList', run: () => showAs('list') };
