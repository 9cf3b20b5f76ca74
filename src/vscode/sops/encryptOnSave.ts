// A plaintext file that a .sops.yaml creation rule covers is encrypted while it is being saved (the save writes the
// ciphertext, never the plaintext), then reopened decrypted. Setting driftline.sops.encryptOnSave: always, ask
// (default) or never.
//
// Why the participant never waits for the user and never throws: VS Code gives an onWillSaveTextDocument listener
// about 1.5 s, then writes the document as it is; a listener that fails or times out three times is ignored for
// good. A question asked from inside the save therefore lets the plaintext reach the disk while the user reads it.
// So in `ask` mode the question is put when the file is shown or first edited, the answer is remembered per file,
// and a save whose answer is not known yet encrypts (the safe default) and offers to undo that. When encryption
// fails or runs out of time, the save writes a placeholder, and the text goes back into the editor, unsaved.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { CreationRule, encryptText, findCreationRule, formatForPath, isSopsEncrypted, writeFileAtomic } from '../../core/sops';
import { openDecrypted } from './openDecrypted';
import { readSopsSettings, sopsOptions } from './sopsSettings';
import { EncryptChoices } from './encryptChoices';

const ENCRYPT_ON_SAVE = 'Encrypt on Save';
const KEEP_PLAINTEXT = 'Keep Plaintext';
/** What the participant may spend encrypting, well inside VS Code's 1.5 s per listener. */
const SAVE_BUDGET_MS = 1_000;

export function registerEncryptOnSave(state: vscode.Memento | undefined): vscode.Disposable[] {
  return new EncryptOnSave(new EncryptChoices(state)).register();
}

/** A save that could not be encrypted in time or at all: the placeholder went to disk, this goes back to the editor. */
interface FailedSave {
  plaintext: string;
  reason: string;
  /** Still encrypting after the save's budget ran out: when it finishes, the ciphertext is saved. */
  late?: Promise<string>;
}

class EncryptOnSave {
  /** Files asked about in this session: a dismissed question is not put again (the save then encrypts and offers undo). */
  private readonly asked = new Set<string>();
  /** Files whose question is on screen now. */
  private readonly asking = new Set<string>();
  /** Files just encrypted on save, to reopen decrypted once the save is done. */
  private readonly encrypted = new Set<string>();
  /** Files encrypted by the safe default (no answer yet), with their plaintext in memory, for "Keep Plaintext". */
  private readonly encryptedByDefault = new Map<string, string>();
  private readonly failed = new Map<string, FailedSave>();

  constructor(private readonly choices: EncryptChoices) {}

  register(): vscode.Disposable[] {
    const askForEditors = (editors: readonly vscode.TextEditor[]) => editors.forEach((editor) => this.askIfNew(editor.document));
    askForEditors(vscode.window.visibleTextEditors);
    return [
      vscode.window.onDidChangeVisibleTextEditors(askForEditors),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length) this.askBeforeFirstSave(event.document);
      }),
      vscode.workspace.onWillSaveTextDocument((event) => {
        const rule = ruleToEncrypt(event.document);
        if (rule && this.shouldEncrypt(event.document)) event.waitUntil(this.encryptionEdits(event.document, rule));
      }),
      vscode.workspace.onDidSaveTextDocument((document) => this.afterSave(document)),
    ];
  }

  private shouldEncrypt(document: vscode.TextDocument): boolean {
    const setting = readSopsSettings(document.uri).encryptOnSave;
    return setting === 'always' || this.choices.get(document.uri) !== 'plaintext';
  }

  /** A new (empty) file under a creation rule: ask as soon as it is shown. */
  private askIfNew(document: vscode.TextDocument): void {
    if (document.getText().trim() === '') this.askBeforeFirstSave(document);
  }

  /** In `ask` mode, puts the question once per file, before any save needs the answer. */
  private askBeforeFirstSave(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (readSopsSettings(document.uri).encryptOnSave !== 'ask' || this.asked.has(key) || this.choices.get(document.uri)) return;
    const rule = ruleToEncrypt(document, { allowEmpty: true });
    if (!rule) return;
    this.asked.add(key);
    this.asking.add(key);
    const name = path.basename(document.uri.fsPath);
    void vscode.window.showWarningMessage(
      `${name} matches a SOPS creation rule of ${rule.configFile}: Driftline will encrypt it when it is saved. Keep it as plaintext instead?`,
      ENCRYPT_ON_SAVE, KEEP_PLAINTEXT,
    ).then(async (choice) => {
      this.asking.delete(key);
      if (choice === ENCRYPT_ON_SAVE) {
        this.encryptedByDefault.delete(key);
        await this.choices.set(document.uri, 'encrypt');
      }
      if (choice === KEEP_PLAINTEXT) await this.keepPlaintext(document.uri);
    });
  }

  private async encryptionEdits(document: vscode.TextDocument, rule: CreationRule): Promise<vscode.TextEdit[]> {
    const key = document.uri.toString();
    const plaintext = document.getText();
    const encryption = encryptText(plaintext, formatForPath(document.uri.fsPath), { ...sopsOptions(document.uri), rule, filePath: document.uri.fsPath });
    let ciphertext: string | undefined;
    try {
      ciphertext = await withinBudget(encryption);
    } catch (error) {
      this.failed.set(key, { plaintext, reason: messageOf(error) });
      return [replaceAll(document, placeholder(rule))];
    }
    if (ciphertext === undefined) {
      this.failed.set(key, { plaintext, reason: `encrypting took longer than the ${SAVE_BUDGET_MS / 1000} s a save may wait`, late: encryption });
      return [replaceAll(document, placeholder(rule))];
    }
    this.encrypted.add(key);
    const setting = readSopsSettings(document.uri).encryptOnSave;
    if (setting === 'ask' && !this.choices.get(document.uri)) this.encryptedByDefault.set(key, plaintext);
    return [replaceAll(document, ciphertext)];
  }

  private async afterSave(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    const failure = this.failed.get(key);
    if (failure) {
      this.failed.delete(key);
      await this.restoreUnsaved(document, failure);
      return;
    }
    if (!this.encrypted.delete(key)) {
      await this.encryptIfParticipantSkipped(document);
      return;
    }
    await openDecrypted(document.uri);
    if (this.encryptedByDefault.has(key) && !this.asking.has(key)) {
      // The question was dismissed (or never shown, e.g. Save As): offer the undo once here.
      const name = path.basename(document.uri.fsPath);
      const choice = await vscode.window.showInformationMessage(
        `${name} was encrypted as it was saved, because it matches a SOPS creation rule.`, KEEP_PLAINTEXT);
      if (choice === KEEP_PLAINTEXT) await this.keepPlaintext(document.uri);
    }
  }

  /**
   * Defence in depth: VS Code stops calling a save participant that timed out or failed three times (a busy
   * extension host), and then writes the document as it is. A plaintext save under a creation rule that the
   * participant did not see is encrypted on disk at once, and the user is told.
   */
  private async encryptIfParticipantSkipped(document: vscode.TextDocument): Promise<void> {
    const rule = ruleToEncrypt(document);
    if (!rule || !this.shouldEncrypt(document)) return;
    const name = path.basename(document.uri.fsPath);
    try {
      const ciphertext = await encryptText(document.getText(), formatForPath(document.uri.fsPath), { ...sopsOptions(document.uri), rule, filePath: document.uri.fsPath });
      writeFileAtomic(document.uri.fsPath, ciphertext);
      void vscode.window.showWarningMessage(`Driftline: ${name} was saved by VS Code without asking Driftline first; it is encrypted on disk now.`);
      await openDecrypted(document.uri);
    } catch (error) {
      void vscode.window.showErrorMessage(`Driftline: ${name} was saved in plaintext by VS Code without asking Driftline, and encrypting it failed: ${messageOf(error)}`);
    }
  }

  /** The user wants plaintext: remember it, and when the safe default already encrypted the file, write it back. */
  private async keepPlaintext(file: vscode.Uri): Promise<void> {
    await this.choices.set(file, 'plaintext');
    const plaintext = this.encryptedByDefault.get(file.toString());
    if (plaintext === undefined) return;
    this.encryptedByDefault.delete(file.toString());
    await vscode.workspace.fs.writeFile(file, Buffer.from(plaintext, 'utf8'));
    await vscode.window.showTextDocument(file, { preview: false });
  }

  /** Puts the text back into the editor (unsaved) after a placeholder was saved; saves the ciphertext if it comes late. */
  private async restoreUnsaved(document: vscode.TextDocument, failure: FailedSave): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    edit.set(document.uri, [replaceAll(document, failure.plaintext)]);
    await vscode.workspace.applyEdit(edit);
    const name = path.basename(document.uri.fsPath);
    if (!failure.late) {
      void vscode.window.showErrorMessage(`Driftline: ${name} was not saved, because encrypting it failed: ${failure.reason}. ` +
        'The file on disk holds a placeholder; your text is still in the editor, unsaved.');
      return;
    }
    try {
      const ciphertext = await failure.late;
      if (document.isClosed || document.getText() !== failure.plaintext) return; // edited since: the next save encrypts that
      const encrypted = new vscode.WorkspaceEdit();
      encrypted.set(document.uri, [replaceAll(document, ciphertext)]);
      if (await vscode.workspace.applyEdit(encrypted)) {
        this.encrypted.add(document.uri.toString());
        await document.save();
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Driftline: ${name} was not saved, because encrypting it failed: ${messageOf(error)}. ` +
        'The file on disk holds a placeholder; your text is still in the editor, unsaved.');
    }
  }
}

/** The rule a plaintext file on disk falls under when encrypt-on-save is on, else undefined. */
function ruleToEncrypt(document: vscode.TextDocument, options: { allowEmpty?: boolean } = {}): CreationRule | undefined {
  if (document.uri.scheme !== 'file') return undefined;
  if (!options.allowEmpty && document.getText().trim() === '') return undefined;
  if (readSopsSettings(document.uri).encryptOnSave === 'never') return undefined;
  if (isSopsEncrypted(document.getText(), formatForPath(document.uri.fsPath))) return undefined;
  try {
    return findCreationRule(document.uri.fsPath);
  } catch {
    return undefined; // a broken .sops.yaml is reported by the diagnostics, not on every save
  }
}

/** The ciphertext, or undefined when it is not ready within the save's budget (it goes on in the background). */
function withinBudget(encryption: Promise<string>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), SAVE_BUDGET_MS); });
  return Promise.race([encryption, timeout]).finally(() => clearTimeout(timer));
}

function placeholder(rule: CreationRule): string {
  return `# Driftline: not saved. This file matches a SOPS creation rule of ${rule.configFile} and could not be encrypted;\n` +
    '# its text is still in the editor, unsaved. Nothing else was written.\n';
}

function replaceAll(document: vscode.TextDocument, text: string): vscode.TextEdit {
  return vscode.TextEdit.replace(new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
}
