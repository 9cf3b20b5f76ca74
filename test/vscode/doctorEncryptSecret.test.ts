// The doctor's "Encrypt with SOPS" quick fix in a real VS Code: a plaintext Secret written into the demo's Flux
// app (apps/web, which the demo's .sops.yaml says to encrypt) is flagged; the fix encrypts the file in place with
// that rule's age key, the finding goes, the Secret still compares (decrypted in memory with the demo key), and
// its value is nowhere on disk: not in the file, not in a temporary file, not in VS Code's local history.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { isSopsEncrypted } from '../../src/core/sops';
import { DOCTOR_SOURCE } from '../../src/vscode/doctor/doctorDiagnostics';
import { environment, readyDriftline, repoFile, waitFor, workspaceRoot } from './support';

const FILE = 'apps/web/db-secret.yaml';

const diagnosticsOf = (uri: vscode.Uri, source: string, rule?: string) =>
  vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === source && (rule === undefined || diagnostic.code === rule));

/** Files under `dir` (up to 5 MB each) whose bytes contain `needle`. */
function filesHolding(dir: string, needle: string): string[] {
  const wanted = Buffer.from(needle);
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesHolding(file, needle);
    if (!entry.isFile() || fs.statSync(file).size > 5_000_000) return [];
    return fs.readFileSync(file).includes(wanted) ? [file] : [];
  });
}

describe('Doctor: Encrypt with SOPS', () => {
  const uri = vscode.Uri.file(repoFile(FILE));

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(uri.fsPath, { force: true });
    const api = await readyDriftline();
    api.session.filesChanged([uri.fsPath]);
    await api.session.refresh();
  });

  it('encrypts a plaintext Secret in place by its .sops.yaml rule: the finding goes and the value is nowhere on disk', async () => {
    const api = await readyDriftline();
    // The user's plaintext file, as they wrote it (so its value is not one the run's plaintext scan looks for).
    const value = `db-${randomBytes(8).toString('hex')}`;
    fs.writeFileSync(uri.fsPath, stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-db' }, type: 'Opaque', stringData: { PASSWORD: value } }));
    api.session.filesChanged([uri.fsPath]);
    await api.session.refresh();
    await waitFor(() => diagnosticsOf(uri, DOCTOR_SOURCE, 'plaintext-secret').length > 0, 'the plaintext-secret finding on db-secret.yaml');
    const [diagnostic] = diagnosticsOf(uri, DOCTOR_SOURCE, 'plaintext-secret');
    assert.match(diagnostic!.message, /^Secret web-db holds plaintext data, but creation rule 1 of \S+\.sops\.yaml says this file should be SOPS-encrypted/);

    await vscode.window.showTextDocument(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic!.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => action.title === 'Encrypt db-secret.yaml with SOPS (its .sops.yaml creation rule)');
    assert.ok(fix?.command, `an Encrypt quick fix (there are: ${actions.map((action) => action.title).join(', ')})`);
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));

    const onDisk = fs.readFileSync(uri.fsPath, 'utf8');
    assert.ok(isSopsEncrypted(onDisk, 'yaml'), `db-secret.yaml is SOPS-encrypted on disk:\n${onDisk}`);
    assert.match(onDisk, /PASSWORD: ENC\[AES256_GCM,data:/, 'the value encrypted');
    assert.match(onDisk, /name: web-db/, 'what the rule\'s encrypted_regex leaves out stays readable');
    assert.match(onDisk, /age1\w+/, 'for the recipient of the rule');
    await waitFor(() => diagnosticsOf(uri, DOCTOR_SOURCE, 'plaintext-secret').length === 0, 'the finding to go');
    await waitFor(() => diagnosticsOf(uri, 'Driftline').length === 0, 'the editor\'s own plaintext check to be quiet too');

    // Shown decrypted, in memory; and the drift engine decrypts it: the Secret compares (Missing: it is not live).
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.scheme, 'sops');
    assert.match(vscode.window.activeTextEditor!.document.getText(), new RegExp(`PASSWORD: ${value}`));
    const secret = api.session.app(environment, 'web')?.resources.find((resource) => resource.kind === 'Secret' && resource.name === 'web-db');
    assert.strictEqual(secret?.status, 'Missing', secret?.reason);
    // The repo, code-server's user data (local history, backups) and logs: the run's folder beside the repo.
    assert.deepStrictEqual(filesHolding(path.dirname(workspaceRoot()), value), []);
  });
});
