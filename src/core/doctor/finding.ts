// What `driftline doctor` and the editor's Problems panel report: one finding per object or file a rule flags,
// located where the user fixes it.
import type { ObjectRef, SourceLocation } from '../model';

/** How loud a finding is. `note` is information (SARIF's `note`, VS Code's Information). */
export type Severity = 'error' | 'warning' | 'note';

/** Per rule in `.driftline.yaml` `doctor.rules`: a severity, or `off`. */
export type RuleSetting = Severity | 'off';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  /** Where to fix it: the object's file and line (for a Flux/Argo object, where the build takes it from). */
  location: SourceLocation;
  environment?: string;
  app?: string;
  object?: ObjectRef;
}

/** A finding before `.driftline.yaml` re-ranks it: the rule's own severity. */
export type RuleFinding = Omit<Finding, 'rule' | 'severity'>;
