// Runs the rules over one repo: each rule's findings, re-ranked or dropped as `.driftline.yaml` says, in file
// order so that the report reads like a compiler's.
import { environmentViews, type DoctorInput } from './doctorInput';
import type { Finding, RuleSetting } from './finding';
import { DOCTOR_RULES } from './rules';

export interface DoctorReport {
  findings: Finding[];
  /** Rules that need the cluster and did not run because it was not asked. */
  skipped: string[];
}

export function runDoctor(input: DoctorInput, settings: Readonly<Record<string, RuleSetting>> = {}): DoctorReport {
  const views = environmentViews(input);
  const findings: Finding[] = [];
  const skipped: string[] = [];
  for (const rule of DOCTOR_RULES) {
    const severity = settings[rule.id] ?? rule.severity;
    if (severity === 'off') continue;
    if (rule.needsCluster && !input.status) {
      skipped.push(rule.id);
      continue;
    }
    findings.push(...rule.check(views, input).map((found) => ({ rule: rule.id, severity, ...found })));
  }
  findings.sort((a, b) => a.location.file.localeCompare(b.location.file) || (a.location.line ?? 0) - (b.location.line ?? 0) || a.rule.localeCompare(b.rule));
  return { findings: withoutRepeats(findings), skipped };
}

/** One object applied by several apps (a base under two Kustomizations) is one finding, for the first of them. */
function withoutRepeats(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.rule}\u0000${finding.location.file}\u0000${finding.location.line ?? ''}\u0000${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Exit status of `driftline doctor`: 1 when something is at warning or error, else 0. */
export function doctorExitCode(report: DoctorReport): number {
  return report.findings.some((finding) => finding.severity !== 'note') ? 1 : 0;
}
