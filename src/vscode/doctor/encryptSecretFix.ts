// "Encrypt with SOPS", the quick fix of the doctor's plaintext-secret finding: the file is encrypted in place by
// the .sops.yaml creation rule that covers it, with the extension's own SOPS code (as encrypt-on-save does), then
// shown decrypted in memory. The ciphertext goes straight to the file (written beside it, then renamed over it);
// the plaintext is written nowhere: not to a temporary file, and not through a VS Code save, whose local history
// would keep a copy of the plaintext version. The text encrypted is the editor's, unsaved edits included.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { encryptText, findCreationRule, formatForPath, isSopsEncrypted, writeFileAtomic } from '../../core/sops';
import type { DriftSessions } from '../driftRoots';
import { rootOf } from '../driftSession';
import { openDecrypted } from '../sops/openDecrypted';
import { sopsOptions } from '../sops/sopsSettings';

export const ENCRYPT_SECRET_COMMAND = 'driftline.doctor.encryptWithSops';

/** The quick fix on a plaintext-secret diagnostic of `document`. */
export function encryptSecretAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const title = `Encrypt ${path.basename(document.uri.fsPath)} with SOPS (its .sops.yaml creation rule)`;
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.isPreferred = true;
  action.command = { command: ENCRYPT_SECRET_COMMAND, title, arguments: [document.uri] };
  return action;
}

/** The command behind the quick fix; the folder's Drift view refreshes after it, so the finding goes at once. */
export function registerEncryptSecret(sessions: DriftSessions, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(ENCRYPT_SECRET_COMMAND, async (uri: vscode.Uri) => {
    try {
      if (!(await encryptInPlace(uri))) return;
    } catch (error) {
      const message = `cannot encrypt ${path.basename(uri.fsPath)}: ${messageOf(error)}`;
      log.error(message);
      void vscode.window.showErrorMessage(`Driftline: ${message}`);
      return;
    }
    log.info(`encrypted ${uri.fsPath} with SOPS in place`);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const session = folder ? sessions.session(rootOf(folder)) : undefined;
    session?.filesChanged([uri.fsPath]);
    await session?.refresh();
  });
}

/** Encrypts the file's text (as the editor has it) in place; false when it is encrypted already. */
async function encryptInPlace(uri: vscode.Uri): Promise<boolean> {
  const document = await vscode.workspace.openTextDocument(uri);
  const format = formatForPath(uri.fsPath);
  if (isSopsEncrypted(document.getText(), format)) {
    void vscode.window.showInformationMessage(`Driftline: ${path.basename(uri.fsPath)} is SOPS-encrypted already.`);
    return false;
  }
  const rule = findCreationRule(uri.fsPath);
  if (!rule) throw new Error(`no .sops.yaml creation rule covers ${uri.fsPath}`);
  const ciphertext = await encryptText(document.getText(), format, { ...sopsOptions(uri), rule, filePath: uri.fsPath });
  writeFileAtomic(uri.fsPath, ciphertext);
  if (document.isDirty) {
    // The unsaved edits are in the ciphertext now: the editor takes the file as it is on disk.
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await openDecrypted(uri);
  return true;
}
