// Open Diff (live <-> Git): a resource row diffs that object, an app row diffs all of the app's objects.
import * as vscode from 'vscode';
import { DESIRED_SCHEME, LIVE_SCHEME, DriftDocumentKey, driftDocumentUri, resourceKey } from '../driftUris';
import { DriftlineCommand, targetNode } from './command';

export const diffCommand: DriftlineCommand = {
  id: 'driftline.diff',
  async run(services, node?: unknown) {
    const target = targetNode(services, node);
    if (!target || target.kind === 'environment' || target.kind === 'folder' || target.kind === 'controllerProblem') {
      void vscode.window.showInformationMessage('Driftline: select an app or a resource in the Drift view to diff it.');
      return;
    }
    if (target.kind === 'app') {
      return openDriftDiff({ root: target.root, environment: target.environment, app: target.name }, `${target.name} in ${target.environment}`);
    }
    return openDriftDiff(resourceKey(target.root, target.environment, target.app, target.result), target.label);
  },
};

/** Opens live (left) against Git (right), titled `<label> (live <-> Git)`. */
export async function openDriftDiff(key: DriftDocumentKey, label: string): Promise<void> {
  const suffix = key.revealed ? ', secret values revealed' : '';
  await vscode.commands.executeCommand('vscode.diff', driftDocumentUri(LIVE_SCHEME, key), driftDocumentUri(DESIRED_SCHEME, key),
    `${label} (live <-> Git${suffix})`, { preview: true });
}
