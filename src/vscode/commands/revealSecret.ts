// Reveal Secret Values: asks first (modal), then diffs the Secret with its values in clear. The clear text
// stays in memory (a virtual document), never in logs or on disk, and is dropped at the next refresh.
import * as vscode from 'vscode';
import { describeRef } from '../../core/model';
import { resourceKey } from '../driftUris';
import { DriftlineCommand, sessionOf, targetNode } from './command';
import { openDriftDiff } from './diff';

export const REVEAL_CHOICE = 'Reveal';

export const revealSecretCommand: DriftlineCommand = {
  id: 'driftline.revealSecret',
  async run(services, node?: unknown) {
    const target = targetNode(services, node);
    if (target?.kind !== 'resource' || target.result.kind !== 'Secret') {
      void vscode.window.showInformationMessage('Driftline: select a Secret in the Drift view to reveal its values.');
      return;
    }
    const name = describeRef(target.result);
    const answer = await vscode.window.showWarningMessage(
      `Show the values of ${name} in clear text?`,
      { modal: true, detail: 'Anyone who can see your screen will see them. They are not written to disk or to the log.' },
      REVEAL_CHOICE,
    );
    if (answer !== REVEAL_CHOICE) return;
    const key = { ...resourceKey(target.root, target.environment, target.app, target.result), revealed: true };
    await sessionOf(services, target).reveal(key);
    services.log.info(`Revealed the values of ${name} on request`);
    await openDriftDiff(key, target.label);
  },
};
