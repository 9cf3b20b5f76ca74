// Flags `kind: Secret` manifests that hold plaintext data in a file a .sops.yaml creation rule says should be
// encrypted: the warning sits on the Secret's `kind` line.
import * as vscode from 'vscode';
import { LineCounter, isMap, parseAllDocuments } from 'yaml';
import { findCreationRule, formatForPath, isSopsEncrypted } from '../../core/sops';
import type { CreationRule } from '../../core/sops';

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
  if (document.uri.scheme !== 'file' || formatForPath(document.uri.fsPath) !== 'yaml') return [];
  const text = document.getText();
  if (!/^kind:\s*Secret\b/m.test(text) || isSopsEncrypted(text, 'yaml')) return [];
  let rule: CreationRule | undefined;
  try {
    rule = findCreationRule(document.uri.fsPath);
  } catch {
    return [];
  }
  if (!rule) return [];
  const lineCounter = new LineCounter();
  const found: vscode.Diagnostic[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    if (!('contents' in doc) || !isMap(doc.contents)) continue;
    const manifest = doc.contents;
    const hasData = ['data', 'stringData'].some((field) => {
      const value = manifest.get(field, true);
      return isMap(value) && value.items.length > 0;
    });
    if ((manifest.toJSON() as { kind?: unknown }).kind !== 'Secret' || !hasData) continue;
    const kindNode = manifest.get('kind', true) as { range?: [number, number, number] } | undefined;
    const [start, end] = kindNode?.range ?? [0, 0];
    const from = lineCounter.linePos(start);
    const to = lineCounter.linePos(end);
    const name = String((manifest.toJSON() as { metadata?: { name?: string } }).metadata?.name ?? '(unnamed)');
    const diagnostic = new vscode.Diagnostic(
      new vscode.Range(from.line - 1, from.col - 1, to.line - 1, to.col - 1),
      `Secret ${name} holds plaintext data, but creation rule ${rule.index + 1} of ${rule.configFile} says this file should be SOPS-encrypted`,
      vscode.DiagnosticSeverity.Warning);
    diagnostic.source = 'Driftline';
    found.push(diagnostic);
  }
  return found;
}
