// SOPS in VS Code: the `sops:` file system, the "Edit Decrypted" offer, encrypt-on-save and the
// plaintext-Secret diagnostics. extension.ts calls registerSops(context) once.
import * as vscode from 'vscode';
import { registerEncryptOnSave } from './encryptOnSave';
import { registerOpenDecrypted } from './openDecrypted';
import { registerSecretDiagnostics } from './secretDiagnostics';
import { SOPS_SCHEME, SopsFileSystemProvider } from './sopsFileSystemProvider';

export function registerSops(context: vscode.ExtensionContext): void {
  const provider = new SopsFileSystemProvider();
  context.subscriptions.push(
    provider,
    vscode.workspace.registerFileSystemProvider(SOPS_SCHEME, provider, { isCaseSensitive: true }),
    ...registerOpenDecrypted(),
    ...registerEncryptOnSave(context.workspaceState),
    ...registerSecretDiagnostics(),
  );
}
