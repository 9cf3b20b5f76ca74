// What discovery and rendering could not do (invalid YAML, a kustomize build that fails, a .driftline.yaml
// mistake): the doctor lists them beside the rules, so one command says everything that is wrong.
import type { RuleFinding } from '../finding';
import type { DoctorRule } from '../rule';

export const repoProblems: DoctorRule = {
  id: 'repo-problem',
  severity: 'error',
  summary: 'a file discovery cannot read, or an app that does not build (invalid YAML, a failing kustomize build, a .driftline.yaml mistake)',
  check(views, input) {
    const found: RuleFinding[] = input.model.problems.map((problem) => ({
      location: { file: problem.file, ...(problem.line ? { line: problem.line } : {}) }, message: problem.message,
    }));
    for (const view of views) {
      for (const { app, error } of view.apps) {
        if (error) found.push({ location: app.declaredAt, environment: view.environment.name, app: app.name, message: `app ${app.name} does not build: ${error}` });
      }
    }
    return found;
  },
};
