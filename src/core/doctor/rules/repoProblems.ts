// What discovery could not read (invalid YAML, a .driftline.yaml mistake, a Kustomization that does not build):
// the doctor lists it beside the rules, so one command says everything that is wrong.
import type { RuleFinding } from '../finding';
import type { DoctorRule } from '../rule';

export const repoProblems: DoctorRule = {
  id: 'repo-problem',
  severity: 'error',
  summary: 'a file discovery cannot read (invalid YAML, a .driftline.yaml mistake, a Kustomization that does not build)',
  check(_views, input) {
    return input.model.problems.map((problem): RuleFinding => ({
      location: { file: problem.file, ...(problem.line ? { line: problem.line } : {}) }, message: problem.message,
    }));
  },
};
