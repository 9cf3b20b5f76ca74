// A plaintext file that a .sops.yaml creation rule covers is encrypted while it is being saved (the save
// writes the ciphertext, never the plaintext), then reopened decrypted. Setting driftline.sops.encryptOnSave:
// always, ask (default) or never.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CreationRule, encryptText, findCreationRule, formatForPath, isSopsEncrypted } from '../../core/sops';
import { openDecrypted } from './openDecrypted';
import { messageOf } from './sopsFileSystemProvider';
import { readSopsSettings, sopsOptions } from './sopsSettings';

const ENCRYPT = 'Encrypt';

export function registerEncryptOnSave(): vscode.Disposable[] {
  const encrypted = new Set<string>();
  return [
    vscode.workspace.onWillSaveTextDocument((event) => {
      const rule = ruleToEncrypt(event.document);
      if (rule) event.waitUntil(encryptionEdits(event.document, rule, encrypted));
    }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (encrypted.delete(document.uri.toString())) void openDecrypted(document.uri);
    }),
  ];
}

function ruleToEncrypt(document: vscode.TextDocument): CreationRule | undefined {
  if (document.uri.scheme !== 'file' || document.getText().trim() === '') return undefined;
  if (readSopsSettings(document.uri).encryptOnSave === 'never') return undefined;
  if (isSopsEncrypted(document.getText(), formatForPath(document.uri.fsPath))) return undefined;
  try {
    return findCreationRule(document.uri.fsPath);
  } catch {
    return undefined; // a broken .sops.yaml is reported by the diagnostics, not on every save
  }
}

async function encryptionEdits(document: vscode.TextDocument, rule: CreationRule, encrypted: Set<string>): Promise<vscode.TextEdit[]> {
  const name = path.basename(document.uri.fsPath);
  if (readSopsSettings(document.uri).encryptOnSave === 'ask') {
    const choice = await vscode.window.showWarningMessage(
      `${name} matches a SOPS creation rule of ${rule.configFile}. Encrypt it as it is saved?`, { modal: true }, ENCRYPT);
    if (choice !== ENCRYPT) return [];
  }
  try {
    const ciphertext = await encryptText(document.getText(), formatForPath(document.uri.fsPath),
      { ...sopsOptions(document.uri), rule, filePath: document.uri.fsPath });
    encrypted.add(document.uri.toString());
    const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
    return [vscode.TextEdit.replace(whole, ciphertext)];
  } catch (error) {
    void vscode.window.showErrorMessage(`Driftline: ${name} was not encrypted: ${messageOf(error)}`);
    throw error;
  }
}
