// Flags `kind: Secret` manifests that hold plaintext data in a file a .sops.yaml creation rule says should be
// encrypted: the warning sits on the Secret's `kind` line.
import * as vscode from 'vscode';
import { describePlaintextSecret, plaintextSecretsIn } from '../../core/sops/plaintextSecrets';

export function registerSecretDiagnostics(): vscode.Disposable[] {
  const diagnostics = vscode.languages.createDiagnosticCollection('driftline-sops');
  const check = (document: vscode.TextDocument) => diagnostics.set(document.uri, plaintextSecretDiagnostics(document));
  vscode.workspace.textDocuments.forEach(check);
  return [
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((event) => check(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)),
  ];
}

export function plaintextSecretDiagnostics(document: vscode.TextDocument): vscode.Diagnostic[] {
  if (document.uri.scheme !== 'file') return [];
  return plaintextSecretsIn(document.getText(), document.uri.fsPath).map((secret) => {
    const diagnostic = new vscode.Diagnostic(
      new vscode.Range(secret.start.line - 1, secret.start.col - 1, secret.end.line - 1, secret.end.col - 1),
      describePlaintextSecret(secret), vscode.DiagnosticSeverity.Warning);
    diagnostic.source = 'Driftline';
    return diagnostic;
  });
}
