// The doctor in the Problems panel of a real VS Code: the demo repo's Deployment without probes is flagged on
// its file after the first refresh; its quick fix turns the rule off in .driftline.yaml (on disk) and the
// warning goes at the next refresh. On a Flux repo of its own, a Kustomization of workloads without health
// checks gets "Add spec.wait: true", which lands in the file, and the warning goes.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { fixedSessions } from '../../src/vscode/driftRoots';
import { createBackend } from '../../src/vscode/driftBackend';
import { DriftSession } from '../../src/vscode/driftSession';
import { DoctorDiagnostics, DOCTOR_SOURCE } from '../../src/vscode/doctor/doctorDiagnostics';
import { readSettings } from '../../src/vscode/settings';
import { removeTempRepos, writeRepo } from '../support/gitopsExamples';
import { clusterInfo, readyDriftline, repoFile, waitFor } from './support';

const doctorDiagnostics = (uri: vscode.Uri, rule: string) =>
  vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === DOCTOR_SOURCE && diagnostic.code === rule);

async function quickFix(uri: vscode.Uri, diagnostic: vscode.Diagnostic, title: RegExp): Promise<vscode.CodeAction> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const action = actions.find((candidate) => title.test(candidate.title));
  if (!action?.edit) throw new Error(`no quick fix ${title} (there are: ${actions.map((candidate) => candidate.title).join(', ') || 'none'})`);
  return action;
}

async function applyAndSave(action: vscode.CodeAction): Promise<void> {
  assert.ok(await vscode.workspace.applyEdit(action.edit!), `the edit of "${action.title}" applies`);
  // Saved as a person does: Ctrl+S in the editor of each file the fix changed.
  for (const [uri] of action.edit!.entries()) {
    const editor = await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => !editor.document.isDirty, `${path.basename(uri.fsPath)} saved`);
  }
}

describe('Doctor diagnostics', () => {
  it('flags the demo Deployment without probes, and its quick fix turns the rule off in .driftline.yaml', async () => {
    await readyDriftline();
    const shopFiles = await vscode.workspace.findFiles('**/deployment.yaml');
    let uri: vscode.Uri | undefined;
    await waitFor(() => {
      uri = shopFiles.find((file) => doctorDiagnostics(file, 'missing-probes').length > 0);
      return uri !== undefined;
    }, 'a missing-probes diagnostic on a demo deployment.yaml');
    await vscode.window.showTextDocument(uri!);
    const [diagnostic] = doctorDiagnostics(uri!, 'missing-probes');
    assert.match(diagnostic!.message, /Deployment \S+ has containers without probes/);
    assert.strictEqual(diagnostic!.severity, vscode.DiagnosticSeverity.Warning);

    const config = repoFile('.driftline.yaml');
    const before = await fs.readFile(config, 'utf8').catch(() => undefined);
    try {
      await applyAndSave(await quickFix(uri!, diagnostic!, /^Turn doctor rule missing-probes off in \.driftline\.yaml$/));
      assert.match(await fs.readFile(config, 'utf8'), /doctor:\n {2}rules:\n {4}missing-probes: off\n$/);
      await waitFor(() => doctorDiagnostics(uri!, 'missing-probes').length === 0, 'the warning to go after the refresh');
    } finally {
      if (before === undefined) await fs.rm(config, { force: true });
      else await fs.writeFile(config, before);
    }
    await waitFor(() => doctorDiagnostics(uri!, 'missing-probes').length > 0, 'the warning back with the rule on again');
  });

  describe('on a Flux repo', () => {
    const cluster = clusterInfo();
    let log: vscode.LogOutputChannel;
    let session: DriftSession;
    let doctor: DoctorDiagnostics;
    let root: string;

    before(async () => {
      const probe = { httpGet: { path: '/', port: 80 } };
      root = await writeRepo({
        '.driftline.yaml': stringify({ environments: [{ name: 'dev', context: cluster.adminContext }] }),
        'clusters/dev/web.yaml': stringify({
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'web', namespace: 'flux-system' },
          spec: { interval: '10m', path: './web', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
        }),
        'clusters/dev/source.yaml': stringify({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'https://example.com/fleet.git' } }),
        'web/deploy.yaml': stringify({
          apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'doctor-web' },
          spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', readinessProbe: probe, livenessProbe: probe }] } } },
        }),
      });
      log = vscode.window.createOutputChannel('Driftline doctor test', { log: true });
      const folder: vscode.WorkspaceFolder = { uri: vscode.Uri.file(root), name: 'fleet', index: 1 };
      session = new DriftSession(log, folder);
      doctor = new DoctorDiagnostics(fixedSessions(session), log);
      await session.reset(createBackend(folder, { ...readSettings(folder), kubeconfig: cluster.kubeconfig, contexts: {} }, log));
      assert.strictEqual(session.state, 'ready', session.failureMessage);
    });

    after(async () => {
      doctor?.dispose();
      session?.dispose();
      log?.dispose();
      await removeTempRepos();
    });

    it('offers "Add spec.wait: true" on a Kustomization of workloads without health checks; the file gets it and the warning goes', async () => {
      const uri = vscode.Uri.file(path.join(root, 'clusters/dev/web.yaml'));
      await waitFor(() => doctorDiagnostics(uri, 'no-health-checks').length > 0, 'the no-health-checks diagnostic');
      const [diagnostic] = doctorDiagnostics(uri, 'no-health-checks');
      assert.match(diagnostic!.message, /Kustomization flux-system\/web applies Deployment doctor-web\/web but has no spec\.wait or spec\.healthChecks/);

      await vscode.window.showTextDocument(uri);
      await applyAndSave(await quickFix(uri, diagnostic!, /^Add spec\.wait: true/));
      assert.match(await fs.readFile(uri.fsPath, 'utf8'), /\n {2}sourceRef:\n(?: {4}.*\n)+ {2}wait: true\n$/);
      session.filesChanged([uri.fsPath]);
      await session.refresh();
      await waitFor(() => doctorDiagnostics(uri, 'no-health-checks').length === 0, 'the warning to go after the refresh');
    });
  });
});
