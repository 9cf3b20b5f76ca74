// The demo repo's SOPS-encrypted Secret (apps/web/api-secret.yaml, made by scripts/demo-repo/demoRepo.mjs) as a user of
// `npm run demo` meets it: it opens decrypted with the demo's age key (the user setting driftline.sops.ageKeyFile),
// an edit saved through the sops: editor writes ciphertext only, which that key opens to the edit, and the Drift
// view compares the edited Secret, decrypted, with the cluster. The file is put back afterwards.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { decryptText } from '../../src/core/sops';
import { decryptedUri } from '../../src/vscode/sops/sopsFileSystemProvider';
import { environment, findNode, readyDriftline, repoFile, statusOf } from './support';

/** The Secret's value in Git, as demoRepo.mjs writes it (and applies it live). */
const GIT_VALUE = 'demo-token-in-git';

describe('The demo repo\'s SOPS-encrypted Secret', () => {
  const file = () => repoFile('apps/web/api-secret.yaml');
  let original: Buffer;

  before(() => { original = fs.readFileSync(file()); });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
  after(async () => {
    fs.writeFileSync(file(), original);
    const api = await readyDriftline();
    api.session.filesChanged([file()]);
    await api.session.refresh();
  });

  it('opens decrypted with the demo key, saves an edit as ciphertext only, and shows the edit as drift', async () => {
    const keyFile = vscode.workspace.getConfiguration('driftline.sops').get<string>('ageKeyFile');
    assert.ok(keyFile && fs.existsSync(keyFile), `driftline.sops.ageKeyFile names the demo key file (${keyFile})`);
    const document = await vscode.workspace.openTextDocument(decryptedUri(vscode.Uri.file(file())));
    assert.match(document.getText(), new RegExp(`API_TOKEN: ${GIT_VALUE}`));

    const edited = `edited-${randomBytes(6).toString('hex')}`;
    const offset = document.getText().indexOf(GIT_VALUE);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + GIT_VALUE.length)), edited);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save(), 'the sops: document saves');

    const onDisk = fs.readFileSync(file(), 'utf8');
    assert.ok(!onDisk.includes(edited) && !onDisk.includes(GIT_VALUE), 'no plaintext in the file');
    assert.match(onDisk, /^ {2}API_TOKEN: ENC\[AES256_GCM/m);
    assert.match((await decryptText(onDisk, 'yaml', { ageKeyFile: keyFile })).plaintext, new RegExp(`API_TOKEN: ${edited}`));

    const api = await readyDriftline();
    api.session.filesChanged([file()]);
    await api.session.refresh();
    assert.strictEqual(statusOf(findNode(api, environment, 'web', 'Secret/web-api')), 'OutOfSync');
  });
});
