// Opening a SOPS-encrypted file in an editor offers its decrypted view (setting driftline.sops.openDecrypted: ask, always
// or never); the command "Edit Decrypted" opens it on demand. The ciphertext tab is replaced by the view.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatForPath, isSopsEncrypted } from '../../core/sops';
import { messageOf } from '../../core/errors';
import { decryptedUri } from './sopsFileSystemProvider';
import { readSopsSettings } from './sopsSettings';

export const EDIT_DECRYPTED_COMMAND = 'driftline.sops.editDecrypted';
const EDIT_DECRYPTED = 'Edit Decrypted';

export function registerOpenDecrypted(): vscode.Disposable[] {
  const offered = new Set<string>();
  const offer = async (document: vscode.TextDocument) => {
    if (document.uri.scheme !== 'file' || !isSopsEncrypted(document.getText(), formatForPath(document.uri.fsPath))) return;
    const setting = readSopsSettings(document.uri).openDecrypted;
    if (setting === 'never') return;
    if (setting === 'ask') {
      // Once per file and session: reopening the ciphertext on purpose should not nag.
      if (offered.has(document.uri.toString())) return;
      offered.add(document.uri.toString());
      const choice = await vscode.window.showInformationMessage(
        `${path.basename(document.uri.fsPath)} is SOPS-encrypted. Edit it decrypted (in memory; saving writes ciphertext only)?`, EDIT_DECRYPTED);
      if (choice !== EDIT_DECRYPTED) return;
    }
    await openDecrypted(document.uri);
  };
  // Reacting to the editor (not to the document being loaded) acts on what the user opened, once its tab exists.
  const offerFor = (editor: vscode.TextEditor | undefined) => (editor ? void offer(editor.document) : undefined);
  offerFor(vscode.window.activeTextEditor);
  return [
    vscode.window.onDidChangeActiveTextEditor(offerFor),
    vscode.commands.registerCommand(EDIT_DECRYPTED_COMMAND, (uri?: vscode.Uri) => {
      const file = uri ?? vscode.window.activeTextEditor?.document.uri;
      return file ? openDecrypted(file) : undefined;
    }),
  ];
}

/** Shows the decrypted view of `file` in place of its ciphertext tab; reports failures (wrong key, MAC...). */
export async function openDecrypted(file: vscode.Uri): Promise<vscode.TextEditor | undefined> {
  try {
    const document = await vscode.workspace.openTextDocument(decryptedUri(file));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const ciphertextTabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === file.toString() && !tab.isDirty);
    if (ciphertextTabs.length > 0) await vscode.window.tabGroups.close(ciphertextTabs);
    return editor;
  } catch (error) {
    void vscode.window.showErrorMessage(`Driftline: cannot open ${path.basename(file.fsPath)} decrypted: ${messageOf(error)}`);
    return undefined;
  }
}
