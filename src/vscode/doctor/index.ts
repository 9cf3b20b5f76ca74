// The doctor in the editor: diagnostics after each refresh, and their quick fixes.
import * as vscode from 'vscode';
import type { DriftSessions } from '../driftRoots';
import { DoctorDiagnostics } from './doctorDiagnostics';
import { DoctorQuickFixes } from './doctorQuickFixes';
import { registerEncryptSecret } from './encryptSecretFix';

export function registerDoctor(sessions: DriftSessions, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    new DoctorDiagnostics(sessions, log),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new DoctorQuickFixes(sessions), { providedCodeActionKinds: DoctorQuickFixes.kinds }),
    registerEncryptSecret(sessions, log),
  ];
}
