// SOPS inside a real VS Code: the `sops:` editor decrypts in memory and saves ciphertext only, one changed
// value changes one ENC[] value on disk, new plaintext Secrets are encrypted on save, wrong keys and
// tampered files leave the file untouched, plaintext Secrets are flagged; and no plaintext reaches the disk.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { decryptText, encryptText, keyGroupFor } from '../../src/core/sops';
import { registerSops } from '../../src/vscode/sops';
import { decryptedUri } from '../../src/vscode/sops/sopsFileSystemProvider';
import { plaintextSecret } from '../support/plaintext';
import { waitFor, workspaceRoot } from './support';

type AgeModule = typeof import('age-encryption');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const age = (): AgeModule => require('age-encryption') as AgeModule;

const marker = plaintextSecret;
/** Every plaintext value this suite ever creates, for the final scan of the disk. */
const secrets: string[] = [];

function encValues(text: string): string[] {
  return text.split(/^sops:/m)[0].match(/ENC\[AES256_GCM,[^\]]+\]/g) ?? [];
}

/** Files under `dir` (not following links) that contain one of `needles`. */
function filesContaining(dir: string, needles: string[], depth = 0): string[] {
  if (depth > 14) return [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesContaining(file, needles, depth + 1);
    if (!entry.isFile()) return [];
    try {
      if (fs.statSync(file).size > 4_000_000) return [];
      const content = fs.readFileSync(file);
      return needles.some((needle) => content.includes(needle)) ? [file] : [];
    } catch {
      return [];
    }
  });
}

async function setSopsSetting(name: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('driftline.sops').update(name, value, vscode.ConfigurationTarget.Global);
}

/** Watches a folder for the whole suite and reads every file as it appears, to catch short-lived plaintext. */
function watchForPlaintext(dir: string): { found: string[]; close(): void } {
  const found: string[] = [];
  const watcher = fs.watch(dir, { recursive: true }, (_event, name) => {
    if (!name) return;
    const file = path.join(dir, name.toString());
    try {
      const content = fs.readFileSync(file);
      if (secrets.some((secret) => content.includes(secret))) found.push(file);
    } catch {
      // gone already, or a folder
    }
  });
  return { found, close: () => watcher.close() };
}

describe('SOPS in VS Code', () => {
  let folder: string;
  let keyDir: string;
  let recipient: string;
  let watch: { found: string[]; close(): void };
  /** The user's own key setting (the demo repo sets one): put back afterwards. */
  let userAgeKeyFile: unknown;

  before(async () => {
    userAgeKeyFile = vscode.workspace.getConfiguration('driftline.sops').inspect('ageKeyFile')?.globalValue;
    // The extension wires registerSops in extension.ts; register here only if it has not.
    if (!(await vscode.commands.getCommands(true)).includes('driftline.sops.editDecrypted')) {
      registerSops({ subscriptions: [] } as unknown as vscode.ExtensionContext);
    }
    watch = watchForPlaintext(workspaceRoot());
    folder = path.join(workspaceRoot(), `sops-${randomBytes(3).toString('hex')}`);
    fs.mkdirSync(path.join(folder, 'secrets'), { recursive: true });
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-sops-key-'));
    const identity = await age().generateX25519Identity();
    recipient = await age().identityToRecipient(identity);
    fs.writeFileSync(path.join(keyDir, 'keys.txt'), `${identity}\n`);
    fs.writeFileSync(path.join(folder, '.sops.yaml'),
      `creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    encrypted_regex: ^(data|stringData|password|token)$\n    age: ${recipient}\n`);
    await setSopsSetting('ageKeyFile', path.join(keyDir, 'keys.txt'));
    await setSopsSetting('openDecrypted', 'never');
  });

  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  after(async () => {
    watch.close();
    await setSopsSetting('ageKeyFile', userAgeKeyFile);
    await setSopsSetting('openDecrypted', undefined);
    await setSopsSetting('encryptOnSave', undefined);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  async function encryptedFile(name: string, plaintext: string): Promise<vscode.Uri> {
    const file = path.join(folder, 'secrets', name);
    fs.writeFileSync(file, await encryptText(plaintext, 'yaml', {
      keyGroups: keyGroupFor({ age: [recipient] }), cryptRules: { encrypted_regex: '^(data|stringData|password|token)$' },
    }));
    return vscode.Uri.file(file);
  }

  it('an edit of one value through the sops: editor changes exactly one ENC[] value on disk', async () => {
    const [password, token, next] = [marker('pw'), marker('tok'), marker('pw2')];
    secrets.push(password, token, next);
    const file = await encryptedFile('app.yaml', `# app credentials\npassword: ${password}\ntoken: ${token}\nuser_unencrypted: web\n`);
    const before = fs.readFileSync(file.fsPath, 'utf8');
    const document = await vscode.workspace.openTextDocument(decryptedUri(file));
    assert.match(document.getText(), new RegExp(`password: ${password}`));
    const edit = new vscode.WorkspaceEdit();
    const offset = document.getText().indexOf(password);
    edit.replace(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + password.length)), next);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save(), 'the sops: document saves');
    const after = fs.readFileSync(file.fsPath, 'utf8');
    const [was, now] = [encValues(before), encValues(after)];
    assert.strictEqual(now.length, was.length);
    assert.strictEqual(now.filter((value, i) => value !== was[i]).length, 1, 'exactly one ENC[] value changed');
    assert.ok(!after.includes(next) && !after.includes(token), 'no plaintext in the file');
    const reread = await decryptText(after, 'yaml', { ageKeyFile: path.join(keyDir, 'keys.txt') });
    assert.match(reread.plaintext, new RegExp(`password: ${next}`));
  });

  it('"Edit Decrypted" opens the decrypted view of the active encrypted file', async () => {
    const token = marker('tok');
    secrets.push(token);
    const file = await encryptedFile('cmd.yaml', `token: ${token}\n`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await vscode.commands.executeCommand('driftline.sops.editDecrypted');
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'sops', 'the decrypted editor');
    assert.match(vscode.window.activeTextEditor!.document.getText(), new RegExp(`token: ${token}`));
  });

  it('opens an encrypted file decrypted in place of its ciphertext when openDecrypted is "always"', async () => {
    await setSopsSetting('openDecrypted', 'always');
    const token = marker('always');
    secrets.push(token);
    const file = await encryptedFile('always.yaml', `token: ${token}\n`);
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'sops', 'the decrypted editor');
      assert.match(vscode.window.activeTextEditor!.document.getText(), new RegExp(`token: ${token}`));
      const ciphertextTabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs)
        .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === file.toString());
      await waitFor(() => ciphertextTabs().length === 0, 'the ciphertext tab to be replaced', 10_000);
    } finally {
      await setSopsSetting('openDecrypted', 'never');
    }
  });

  it('asks before opening decrypted when openDecrypted is "ask", and does nothing when dismissed', async () => {
    await setSopsSetting('openDecrypted', 'ask');
    const window = vscode.window as unknown as { showInformationMessage: (...args: unknown[]) => Thenable<string | undefined> };
    const original = window.showInformationMessage;
    const asked: string[] = [];
    window.showInformationMessage = async (message: unknown) => { asked.push(String(message)); return undefined; };
    try {
      const file = await encryptedFile('ask.yaml', 'token: not-a-secret\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      await waitFor(() => asked.length > 0, 'the Edit Decrypted offer');
      assert.match(asked[0], /ask\.yaml is SOPS-encrypted/);
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.scheme, 'file', 'still the ciphertext');
    } finally {
      window.showInformationMessage = original;
      await setSopsSetting('openDecrypted', 'never');
    }
  });

  it('encrypts a new plaintext Secret matching a creation rule as it is saved, and reopens it decrypted', async () => {
    await setSopsSetting('encryptOnSave', 'always');
    const value = marker('new');
    secrets.push(value);
    const file = path.join(folder, 'secrets', 'new-secret.yaml');
    fs.writeFileSync(file, '');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: new\nstringData:\n  password: ${value}\n`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    const onDisk = fs.readFileSync(file, 'utf8');
    assert.ok(!onDisk.includes(value), 'the plaintext never reached the file');
    assert.match(onDisk, /^ {2}password: ENC\[AES256_GCM/m);
    assert.match(onDisk, /^kind: Secret$/m);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'sops', 'the decrypted editor');
    assert.match(vscode.window.activeTextEditor!.document.getText(), new RegExp(`password: ${value}`));
  });

  /** A person's answer to a notification: given `afterMs` after it appears, meanwhile the test goes on. */
  function answerLater(afterMs: number, answer: string | undefined) {
    const asked: string[] = [];
    let answered!: () => void;
    const answeredOnce = new Promise<void>((resolve) => { answered = resolve; });
    const window = vscode.window as unknown as Record<'showWarningMessage' | 'showInformationMessage', (...args: unknown[]) => Thenable<string | undefined>>;
    const originals = { warning: window.showWarningMessage, information: window.showInformationMessage };
    const person = async (message: unknown) => {
      asked.push(String(message));
      await new Promise((resolve) => setTimeout(resolve, afterMs)); // a person reading the question
      setImmediate(answered);
      return answer;
    };
    window.showWarningMessage = person;
    window.showInformationMessage = person;
    return {
      asked,
      /** Settles just after the first answer was given. */
      answered: answeredOnce,
      restore: () => Object.assign(window, { showWarningMessage: originals.warning, showInformationMessage: originals.information }),
    };
  }

  async function newDocument(name: string): Promise<{ file: string; document: vscode.TextDocument }> {
    const file = path.join(folder, 'secrets', name);
    fs.writeFileSync(file, '');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    return { file, document };
  }

  async function type(document: vscode.TextDocument, text: string): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
  }

  it('in "ask" mode asks when a new file is shown, and a save while the question is open writes ciphertext only, also long after', async () => {
    await setSopsSetting('encryptOnSave', 'ask');
    const value = marker('ask');
    secrets.push(value);
    const person = answerLater(6_000, 'Encrypt on Save');
    try {
      const { file, document } = await newDocument('asked.yaml');
      await waitFor(() => person.asked.length > 0, 'the question, as the new file is shown');
      assert.match(person.asked[0], /asked\.yaml matches a SOPS creation rule .*encrypt it when it is saved/);
      await type(document, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: asked\nstringData:\n  token: ${value}\n`);
      assert.ok(await document.save(), 'the save goes through while the question is still open');
      const whileOpen = fs.readFileSync(file, 'utf8');
      assert.ok(!whileOpen.includes(value), 'no plaintext on disk while the question is open');
      assert.match(whileOpen, /^ {2}token: ENC\[AES256_GCM/m);
      // The person answers 6 s after the question: past VS Code's save-participant budget (1.75 s).
      await person.answered;
      const later = fs.readFileSync(file, 'utf8');
      assert.ok(!later.includes(value), 'still no plaintext after the answer');
      assert.match(later, /^ {2}token: ENC\[AES256_GCM/m);
    } finally {
      person.restore();
    }
  });

  it('in "ask" mode keeps a file plaintext when the user says so before saving, and remembers it for the next save', async () => {
    await setSopsSetting('encryptOnSave', 'ask');
    const person = answerLater(1_500, 'Keep Plaintext');
    let document: vscode.TextDocument;
    let file: string;
    try {
      ({ file, document } = await newDocument('kept.yaml'));
      await person.answered; // the person answers before typing
    } finally {
      person.restore();
    }
    await type(document, 'note: plain by choice\n');
    assert.ok(await document.save());
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'note: plain by choice\n');
    await type(document, 'second: save\n');
    assert.ok(await document.save());
    assert.match(fs.readFileSync(file, 'utf8'), /^second: save\nnote: plain by choice\n$/, 'asked once: the second save keeps plaintext too');
  });

  it('in "ask" mode, after the question was dismissed, a save encrypts and "Keep Plaintext" afterwards writes the text back', async () => {
    await setSopsSetting('encryptOnSave', 'ask');
    const dismissed = answerLater(0, undefined);
    let document: vscode.TextDocument;
    let file: string;
    try {
      ({ file, document } = await newDocument('dismissed.yaml'));
      await waitFor(() => dismissed.asked.length > 0, 'the question');
    } finally {
      dismissed.restore();
    }
    const person = answerLater(2_000, 'Keep Plaintext');
    try {
      // `token` is a key the rule's encrypted_regex encrypts; the value is not one of the suite's secrets, as it
      // ends up in plaintext on purpose.
      await type(document, 'token: kept-plain-on-request\n');
      assert.ok(await document.save());
      assert.match(fs.readFileSync(file, 'utf8'), /^token: ENC\[AES256_GCM/m, 'encrypted by the safe default');
      await waitFor(() => person.asked.some((message) => /dismissed\.yaml was encrypted as it was saved/.test(message)), 'the offer to undo');
      await waitFor(() => fs.readFileSync(file, 'utf8') === 'token: kept-plain-on-request\n', 'the plaintext written back on request', 15_000);
    } finally {
      person.restore();
    }
  });

  it('encrypts a file saved from an untitled editor into a folder a creation rule covers', async () => {
    await setSopsSetting('encryptOnSave', 'ask');
    const value = marker('untitled');
    secrets.push(value);
    const file = path.join(folder, 'secrets', 'from-untitled.yaml');
    const person = answerLater(10_000, undefined);
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file).with({ scheme: 'untitled' }));
      await type(document, `password: ${value}\n`);
      assert.ok(await document.save());
      await waitFor(() => fs.existsSync(file), 'the saved file');
      const onDisk = fs.readFileSync(file, 'utf8');
      assert.ok(!onDisk.includes(value), 'no plaintext on disk');
      assert.match(onDisk, /^password: ENC\[AES256_GCM/m);
    } finally {
      person.restore();
    }
  });

  it('when encryption fails, saves a placeholder, never the plaintext, and keeps the text in the editor', async () => {
    await setSopsSetting('encryptOnSave', 'always');
    const value = marker('fail');
    secrets.push(value);
    const broken = path.join(folder, 'broken');
    fs.mkdirSync(broken, { recursive: true });
    fs.writeFileSync(path.join(broken, '.sops.yaml'), 'creation_rules:\n  - path_regex: .*\\.yaml$\n    age: age1notarecipient\n');
    const errors: string[] = [];
    const window = vscode.window as unknown as { showErrorMessage: (...args: unknown[]) => Thenable<string | undefined> };
    const original = window.showErrorMessage;
    window.showErrorMessage = async (message: unknown) => { errors.push(String(message)); return undefined; };
    try {
      const file = path.join(broken, 'secret.yaml');
      fs.writeFileSync(file, '');
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await type(document, `password: ${value}\n`);
      await document.save();
      await waitFor(() => errors.length > 0, 'the error message');
      assert.match(errors[0], /secret\.yaml was not saved, because encrypting it failed/);
      assert.ok(!fs.readFileSync(file, 'utf8').includes(value), 'no plaintext on disk');
      assert.match(fs.readFileSync(file, 'utf8'), /^# Driftline: not saved/);
      await waitFor(() => document.getText().includes(value), 'the text back in the editor');
      assert.ok(document.isDirty, 'unsaved, so nothing is lost');
      // Leave no dirty plaintext buffer behind for later suites: revert it in its editor.
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitFor(() => !document.isDirty, 'the plaintext buffer reverted');
    } finally {
      window.showErrorMessage = original;
    }
  });

  it('refuses to open a file for a key we do not hold, with a message naming it, and leaves it untouched', async () => {
    const other = await age().identityToRecipient(await age().generateX25519Identity());
    const file = path.join(folder, 'secrets', 'foreign.yaml');
    fs.writeFileSync(file, await encryptText('password: x\n', 'yaml', { keyGroups: keyGroupFor({ age: [other] }) }));
    const before = fs.readFileSync(file);
    await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(decryptedUri(vscode.Uri.file(file)))),
      (error: Error) => error.message.includes('foreign.yaml') && /none of the available keys/.test(error.message));
    assert.deepStrictEqual(fs.readFileSync(file), before);
  });

  it('refuses a tampered file (MAC mismatch) and leaves it untouched', async () => {
    const file = await encryptedFile('tampered.yaml', 'password: x\nuser_unencrypted: web\n');
    fs.writeFileSync(file.fsPath, fs.readFileSync(file.fsPath, 'utf8').replace('user_unencrypted: web', 'user_unencrypted: evil'));
    const before = fs.readFileSync(file.fsPath);
    await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(decryptedUri(file))),
      (error: Error) => error.message.includes('tampered.yaml') && /MAC mismatch/.test(error.message));
    assert.deepStrictEqual(fs.readFileSync(file.fsPath), before);
  });

  it('flags a plaintext Secret in a file a creation rule says should be encrypted', async () => {
    // An example value, not one of this suite's secrets: this file is plaintext on purpose.
    const file = path.join(folder, 'secrets', 'plain-secret.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  password: example\n');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await waitFor(() => vscode.languages.getDiagnostics(document.uri).length > 0, 'the plaintext Secret diagnostic');
    const [diagnostic] = vscode.languages.getDiagnostics(document.uri);
    assert.match(diagnostic.message, /Secret leaked holds plaintext data/);
    assert.strictEqual(diagnostic.range.start.line, 1, 'on the kind: Secret line');
  });

  it('never wrote any plaintext value of this suite to the workspace or TMPDIR', () => {
    assert.ok(secrets.length >= 6);
    assert.deepStrictEqual(watch.found, [], 'no file in the workspace ever held plaintext, even briefly');
    const found = [...filesContaining(workspaceRoot(), secrets), ...filesContaining(os.tmpdir(), secrets)];
    assert.deepStrictEqual(found, []);
  });
});
