// `driftline doctor` in the Problems panel: after each refresh of a folder, its findings become diagnostics on
// the lines they name (the live rules with the refresh's own comparison). Setting driftline.doctor.enabled
// turns them off.
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../core/doctor/finding';
import type { DriftSession } from '../driftSession';
import type { DriftSessions } from '../driftRoots';
import { engine } from '../lazyEngine';

export const DOCTOR_SOURCE = 'Driftline doctor';
export const DOCTOR_SETTING = 'doctor.enabled';

const SEVERITIES: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  note: vscode.DiagnosticSeverity.Information,
};

export class DoctorDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('driftline-doctor');
  /** Per session root: the files it put diagnostics on, and the run in progress. */
  private readonly bySession = new Map<string, { files: vscode.Uri[]; running?: AbortController }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(sessions: DriftSessions, private readonly log: vscode.LogOutputChannel) {
    this.subscriptions = [
      sessions.onDidChange((session) => void this.update(session)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`driftline.${DOCTOR_SETTING}`)) for (const session of sessions.sessions) void this.update(session);
      }),
    ];
  }

  private async update(session: DriftSession): Promise<void> {
    const entry = this.bySession.get(session.root) ?? { files: [] };
    this.bySession.set(session.root, entry);
    entry.running?.abort();
    const enabled = vscode.workspace.getConfiguration('driftline', session.folder).get<boolean>(DOCTOR_SETTING, true);
    const workspace = session.workspace;
    if (!enabled || session.state !== 'ready' || !session.report || !workspace) {
      if (!enabled || session.state === 'noRepo') this.show(entry, []);
      return;
    }
    const running = new AbortController();
    entry.running = running;
    try {
      const report = await engine().diagnose(workspace, { status: session.report, signal: running.signal });
      if (!running.signal.aborted) this.show(entry, report.findings);
    } catch (error) {
      if (!running.signal.aborted) this.log.warn(`doctor: ${(error as Error).message}`);
    } finally {
      if (entry.running === running) entry.running = undefined;
    }
  }

  private show(entry: { files: vscode.Uri[] }, findings: Finding[]): void {
    for (const uri of entry.files) this.collection.delete(uri);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const finding of findings) {
      const list = byFile.get(finding.location.file) ?? [];
      list.push(diagnosticOf(finding));
      byFile.set(finding.location.file, list);
    }
    entry.files = [...byFile.keys()].map((file) => vscode.Uri.file(file));
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }

  dispose(): void {
    for (const entry of this.bySession.values()) entry.running?.abort();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}

function diagnosticOf(finding: Finding): vscode.Diagnostic {
  const line = Math.max(0, (finding.location.line ?? 1) - 1);
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line + 1, 0), finding.message, SEVERITIES[finding.severity]);
  diagnostic.source = DOCTOR_SOURCE;
  diagnostic.code = finding.rule;
  return diagnostic;
}
