// The report as SARIF 2.1.0, for code scanning (GitHub's upload-sarif, GitLab): one run, the rules as the
// tool's driver rules, file locations relative to the repository root.
import path from 'node:path';
import type { Finding } from './finding';
import { DOCTOR_RULES } from './rules';
import type { DoctorReport } from './runDoctor';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function toSarif(report: DoctorReport, repoRoot: string): unknown {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'driftline', informationUri: 'https://github.com/driftline/driftline',
          rules: DOCTOR_RULES.map((rule) => ({ id: rule.id, shortDescription: { text: rule.summary }, defaultConfiguration: { level: rule.severity } })),
        },
      },
      originalUriBaseIds: { SRCROOT: { uri: `file://${path.resolve(repoRoot)}/` } },
      results: report.findings.map((finding) => resultOf(finding, repoRoot)),
    }],
  };
}

function resultOf(finding: Finding, repoRoot: string): unknown {
  const relative = path.relative(repoRoot, finding.location.file).split(path.sep).join('/');
  return {
    ruleId: finding.rule,
    ruleIndex: DOCTOR_RULES.findIndex((rule) => rule.id === finding.rule),
    level: finding.severity,
    message: { text: finding.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: relative, uriBaseId: 'SRCROOT' },
        ...(finding.location.line ? { region: { startLine: finding.location.line } } : {}),
      },
    }],
  };
}
