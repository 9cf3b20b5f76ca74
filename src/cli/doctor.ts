// `driftline doctor`: GitOps gotchas in the repo (and, with --live, in what the cluster runs), as text, JSON
// or SARIF for code scanning. Exit status 0 nothing at warning or error, 1 findings, 2 error.
import path from 'node:path';
import { diagnose } from '../core/doctor/diagnose';
import type { Finding } from '../core/doctor/finding';
import { DOCTOR_RULES } from '../core/doctor/rules';
import { doctorExitCode, type DoctorReport } from '../core/doctor/runDoctor';
import { toSarif } from '../core/doctor/sarif';
import { DriftEngine } from '../core/drift/engine';
import { runFlagCommand } from './flagCommand';
import { FlagError, stringFlag, type Flags } from './flags';
import { withInterrupt } from './interrupt';
import type { CliIO } from './io';
import { withWorkspace } from './workspaceArgs';

const FORMATS = ['text', 'json', 'sarif'];

const HELP = `Usage: driftline doctor [options]

Checks the repository for GitOps gotchas: plaintext Secrets a .sops.yaml rule says to encrypt, sources and
dependsOn naming nothing, Kustomizations without health checks, workloads without probes, unpinned images and
charts, Argo CD Applications without automated sync; with --live also Extra objects of apps that do not prune.
Rules are switched off or re-ranked in .driftline.yaml: doctor: { rules: { missing-probes: off } }.

  --repo DIR        the GitOps repository (default: the current directory)
  --env NAME        only this environment
  --app NAME        only findings of this app
  --live            also compare with the cluster (rules about live state)
  --kubeconfig F    kubeconfig for --live
  --format F        text (default), json, or sarif (SARIF 2.1.0 for code scanning)
  --rules           list the rules and their default severities

Exit status: 0 nothing at warning or error, 1 findings, 2 error.
`;

export function runDoctorCommand(args: string[], io: CliIO): Promise<number> {
  return runFlagCommand({
    name: 'doctor',
    help: HELP,
    flags: { values: ['repo', 'env', 'app', 'format', 'kubeconfig'], switches: ['live', 'rules'] },
    validate(flags) {
      const format = stringFlag(flags, 'format');
      if (format && !FORMATS.includes(format)) throw new FlagError(`--format must be one of ${FORMATS.join(', ')}`);
    },
    run: doctor,
  }, args, io);
}

async function doctor(flags: Flags, io: CliIO): Promise<number> {
  if (flags.rules) {
    const width = Math.max(...DOCTOR_RULES.map((rule) => rule.id.length));
    io.stdout.write(DOCTOR_RULES.map((rule) => `${rule.id.padEnd(width)}  ${rule.severity.padEnd(7)}  ${rule.summary}${rule.needsCluster ? ' (--live)' : ''}\n`).join(''));
    return 0;
  }
  return withWorkspace(flags, (workspace) => withInterrupt(async (signal) => {
    const env = stringFlag(flags, 'env');
    const app = stringFlag(flags, 'app');
    const status = flags.live ? await new DriftEngine(workspace).status({ env, app }, signal) : undefined;
    const report = await diagnose(workspace, { env, app, status, signal });
    const format = stringFlag(flags, 'format') ?? 'text';
    if (format === 'sarif') io.stdout.write(`${JSON.stringify(toSarif(report, report.model.root), null, 2)}\n`);
    else if (format === 'json') io.stdout.write(`${JSON.stringify({ repo: report.model.root, findings: report.findings, skipped: report.skipped }, null, 2)}\n`);
    else io.stdout.write(formatText(report, report.model.root));
    return doctorExitCode(report);
  }));
}

function formatText(report: DoctorReport, root: string): string {
  const lines = report.findings.map((finding) => `${where(finding, root)}: ${finding.severity} [${finding.rule}] ${finding.message}`);
  const counts = ['error', 'warning', 'note'].map((severity) => {
    const count = report.findings.filter((finding) => finding.severity === severity).length;
    return `${count} ${severity}${count === 1 ? '' : 's'}`;
  });
  lines.push(`${report.findings.length ? '\n' : ''}${counts.join(', ')}` +
    (report.skipped.length ? ` (not checked without --live: ${report.skipped.join(', ')})` : ''));
  return `${lines.join('\n')}\n`;
}

function where(finding: Finding, root: string): string {
  const file = path.relative(root, finding.location.file) || finding.location.file;
  return finding.location.line ? `${file}:${finding.location.line}` : file;
}
