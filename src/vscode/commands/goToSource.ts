// Go to Source: opens the file and line in Git that define the object (for kustomize, the base file).
import * as vscode from 'vscode';
import { describeRef } from '../../core/model';
import { DriftlineCommand, targetNode } from './command';

export const goToSourceCommand: DriftlineCommand = {
  id: 'driftline.goToSource',
  async run(services, node?: unknown) {
    const target = targetNode(services, node);
    if (target?.kind !== 'resource') return;
    const source = target.result.source;
    if (!source) {
      void vscode.window.showInformationMessage(`Driftline: ${describeRef(target.result)} is not defined in Git (${target.result.status}).`);
      return;
    }
    const line = Math.max(0, (source.line ?? 1) - 1);
    const position = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(vscode.Uri.file(source.file), { selection: new vscode.Range(position, position) });
  },
};
