// Quick fixes on the doctor's diagnostics: "Add spec.wait: true" where a Kustomization applies workloads
// without health checks, and, on every finding, "Turn rule X off" in the repo's .driftline.yaml. Both are
// workspace edits: undoable, seen before saving. "Encrypt with SOPS" on a plaintext Secret is a command
// (encryptSecretFix.ts): the plaintext must not go through an edit and a save.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../../core/discovery/loadConfig';
import { addKustomizationWait, ruleOffConfig } from '../../core/doctor/fixes';
import type { DriftSessions } from '../driftRoots';
import { DOCTOR_SOURCE } from './doctorDiagnostics';
import { encryptSecretAction } from './encryptSecretFix';

export class DoctorQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly sessions: DriftSessions) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DOCTOR_SOURCE || typeof diagnostic.code !== 'string') continue;
      if (diagnostic.code === 'no-health-checks') {
        const fixed = addKustomizationWait(document.getText(), diagnostic.range.start.line + 1);
        if (fixed !== undefined) actions.push(replaceAll(document, fixed, 'Add spec.wait: true (wait for what it applies to be ready)', diagnostic, true));
      }
      if (diagnostic.code === 'plaintext-secret' && document.uri.scheme === 'file') actions.push(encryptSecretAction(document, diagnostic));
      const off = await this.ruleOff(document, diagnostic, diagnostic.code);
      if (off) actions.push(off);
    }
    return actions;
  }

  private async ruleOff(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, rule: string): Promise<vscode.CodeAction | undefined> {
    const folder = this.sessions.sessions.map((session) => session.folder).find((candidate) => candidate && isWithin(document.uri.fsPath, candidate.uri.fsPath));
    if (!folder) return undefined;
    const configUri = vscode.Uri.file(path.join(folder.uri.fsPath, CONFIG_FILE_NAME));
    const existing = await vscode.workspace.openTextDocument(configUri).then((config) => config, () => undefined);
    let text: string;
    try {
      text = ruleOffConfig(existing?.getText(), rule);
    } catch {
      return undefined; // a .driftline.yaml that does not parse: its own diagnostics say so
    }
    const action = new vscode.CodeAction(`Turn doctor rule ${rule} off in ${CONFIG_FILE_NAME}`, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.edit = new vscode.WorkspaceEdit();
    if (existing) action.edit.replace(configUri, fullRange(existing), text);
    else {
      action.edit.createFile(configUri, { ignoreIfExists: true });
      action.edit.insert(configUri, new vscode.Position(0, 0), text);
    }
    return action;
  }
}

function replaceAll(document: vscode.TextDocument, text: string, title: string, diagnostic: vscode.Diagnostic, preferred: boolean): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.isPreferred = preferred;
  action.edit = new vscode.WorkspaceEdit();
  action.edit.replace(document.uri, fullRange(document), text);
  return action;
}

function fullRange(document: vscode.TextDocument): vscode.Range {
  return new vscode.Range(0, 0, document.lineCount, 0);
}

function isWithin(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
