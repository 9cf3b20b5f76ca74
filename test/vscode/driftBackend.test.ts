// The engine the extension builds from its settings decrypts SOPS-encrypted Secrets with the age key file of
// driftline.sops.ageKeyFile: Synced with it, Unknown (naming the file) without it. A repo of its own in a temp
// folder, one age-encrypted Secret, applied live in clear through kubectl's stdin (never written to disk).
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { encryptText, keyGroupFor } from '../../src/core/sops';
import { createBackend } from '../../src/vscode/driftBackend';
import { readSettings } from '../../src/vscode/settings';
import { plaintextSecret } from '../support/plaintext';
import { clusterInfo, namespaceOf } from './support';

type AgeModule = typeof import('age-encryption');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const age = (): AgeModule => require('age-encryption') as AgeModule;

function kubectl(args: string[], input?: string): string {
  const cluster = clusterInfo();
  return execFileSync('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', cluster.adminContext, ...args], { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

describe('Drift of SOPS-encrypted Secrets with the driftline.sops.ageKeyFile setting', () => {
  const password = plaintextSecret('pw');
  let root: string;
  let keyDir: string;
  let namespace: string;
  let folder: vscode.WorkspaceFolder;
  const secretFile = () => path.join(root, 'vault', 'secret.yaml');
  const setKeyFile = (value: string | undefined) => vscode.workspace.getConfiguration('driftline.sops').update('ageKeyFile', value, vscode.ConfigurationTarget.Global);
  /** The user setting as the suite found it (the demo repo's age key): put back afterwards. */
  let userKeyFile: string | undefined;

  before(async () => {
    userKeyFile = vscode.workspace.getConfiguration('driftline.sops').inspect<string>('ageKeyFile')?.globalValue;
    namespace = `${namespaceOf('shop')}-sops`;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-sops-drift-'));
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-sops-drift-key-'));
    const identity = await age().generateX25519Identity();
    fs.writeFileSync(path.join(keyDir, 'keys.txt'), `${identity}\n`);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vault-db', namespace }, type: 'Opaque', stringData: { password } };
    fs.writeFileSync(path.join(root, '.driftline.yaml'), stringify({
      environments: [{ name: 'dev', context: clusterInfo().adminContext }],
      apps: [{ name: 'vault', environment: 'dev', path: 'vault', namespace, renderer: 'yaml' }],
    }));
    fs.mkdirSync(path.dirname(secretFile()));
    fs.writeFileSync(secretFile(), await encryptText(stringify(secret), 'yaml', {
      keyGroups: keyGroupFor({ age: [await age().identityToRecipient(identity)] }), cryptRules: { encrypted_regex: '^(data|stringData)$' },
    }));
    kubectl(['create', 'namespace', namespace]);
    kubectl(['apply', '-f', '-'], JSON.stringify(secret));
    folder = { uri: vscode.Uri.file(root), name: 'sops-drift', index: 1 };
  });

  after(async () => {
    await setKeyFile(userKeyFile);
    kubectl(['delete', 'namespace', namespace, '--wait=false']);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  /** The Secret's row as an engine built from the current settings reports it. */
  async function secretResult() {
    const log = vscode.window.createOutputChannel('Driftline SOPS drift test', { log: true });
    const backend = createBackend(folder, { ...readSettings(folder), kubeconfig: clusterInfo().kubeconfig, contexts: {} }, log);
    try {
      const report = await backend.status();
      const app = report.environments.find((e) => e.name === 'dev')?.apps.find((a) => a.name === 'vault');
      const secret = app?.resources.find((r) => r.kind === 'Secret' && r.name === 'vault-db');
      if (!secret) throw new Error(`no Secret vault-db in the report: ${JSON.stringify(app ?? report.environments)}`);
      return secret;
    } finally {
      backend.close();
      log.dispose();
    }
  }

  it('compares Synced when the setting names the age key file', async () => {
    await setKeyFile(path.join(keyDir, 'keys.txt'));
    const secret = await secretResult();
    assert.strictEqual(secret.status, 'Synced', secret.reason);
    assert.ok(!JSON.stringify(secret).includes(password), 'the value is masked in the result');
  });

  it('is Unknown, naming the encrypted file, without the key', async () => {
    await setKeyFile(undefined);
    const secret = await secretResult();
    assert.strictEqual(secret.status, 'Unknown');
    assert.match(secret.reason ?? '', /cannot decrypt SOPS-encrypted Secret\/vault-db/);
    assert.ok(secret.reason?.includes(secretFile()), `the reason names ${secretFile()}: ${secret.reason}`);
    assert.ok(!JSON.stringify(secret).includes(password));
  });
});
