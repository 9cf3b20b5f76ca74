// A kubeconfig that is there but malformed: the Drift view says which file and why (the parse error) above
// the view and in the log, instead of "No Kubernetes cluster found" with no reason; fixing the setting brings
// the comparison back.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { DriftSession } from '../../src/vscode/driftSession';
import { createBackend, problemDetector } from '../../src/vscode/driftBackend';
import { readSettings } from '../../src/vscode/settings';
import { readyDriftline, waitFor } from './support';

describe('A malformed kubeconfig', () => {
  let dir: string;
  let broken: string;
  const folder = () => vscode.workspace.workspaceFolders![0]!;
  const PARSE_ERROR = 'unexpected end of the stream within a flow collection (3:1)';

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-broken-kubeconfig-'));
    broken = path.join(dir, 'config');
    fs.writeFileSync(broken, 'apiVersion: v1\nclusters: [\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is the reason the session cannot compare, named with its parse error, and logged once', async () => {
    const errors: string[] = [];
    const channel = vscode.window.createOutputChannel('Driftline kubeconfig test', { log: true });
    const log = new Proxy(channel, {
      get: (target, name) => (name === 'error' ? (line: string) => { errors.push(line); target.error(line); } : Reflect.get(target, name)),
    });
    const settings = { ...readSettings(folder()), kubeconfig: broken };
    const backend = createBackend(folder(), settings, log);
    const session = new DriftSession(log);
    try {
      await session.reset(backend, undefined, problemDetector(backend, settings));
      assert.strictEqual(session.state, 'noCluster');
      assert.strictEqual(session.problemMessage, `malformed kubeconfig ${broken}: ${PARSE_ERROR}`);
      await session.refresh();
      assert.deepStrictEqual(errors, [`Cannot compare: malformed kubeconfig ${broken}: ${PARSE_ERROR}`]);
    } finally {
      session.dispose();
      channel.dispose();
    }
  });

  it('is shown above the Drift view; pointing the setting back at a good kubeconfig compares again', async () => {
    const api = await readyDriftline();
    const configuration = () => vscode.workspace.getConfiguration('driftline');
    const good = configuration().inspect<string>('kubeconfig')?.workspaceValue;
    await configuration().update('kubeconfig', broken, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(() => api.session.state === 'noCluster', 'the view to give up on the malformed kubeconfig');
      assert.strictEqual(api.treeView.message, `Cannot compare: malformed kubeconfig ${broken}: ${PARSE_ERROR}. ` +
        'Fix the file, or choose another kubeconfig (setting driftline.kubeconfig).');
      assert.deepStrictEqual(api.tree.getChildren(), []);
    } finally {
      await configuration().update('kubeconfig', good, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(() => api.session.state === 'ready' && !api.session.refreshing, 'the view to compare again');
    assert.strictEqual(api.treeView.message, undefined);
  });
});
