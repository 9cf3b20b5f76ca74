// One doctor rule: an id users switch off or re-rank in `.driftline.yaml`, its default severity, and a check
// over the environments' rendered apps.
import type { DoctorInput, EnvironmentView } from './doctorInput';
import type { RuleFinding, Severity } from './finding';

export interface DoctorRule {
  id: string;
  severity: Severity;
  /** One line: what the rule looks for (SARIF's shortDescription, `driftline doctor --rules`). */
  summary: string;
  /** Reads the live comparison: skipped when the cluster was not asked. */
  needsCluster?: boolean;
  check(views: EnvironmentView[], input: DoctorInput): RuleFinding[];
}

/** Where a finding about one desired object points, with the object's identity. */
export function atObject(view: EnvironmentView, app: { name: string }, desired: { object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }; source: { file: string; line?: number } }): Pick<RuleFinding, 'location' | 'environment' | 'app' | 'object'> {
  const { apiVersion, kind, metadata } = desired.object;
  return {
    location: desired.source,
    environment: view.environment.name,
    app: app.name,
    object: { apiVersion, kind, name: metadata.name, ...(metadata.namespace ? { namespace: metadata.namespace } : {}) },
  };
}

/** `Kind namespace/name` for messages. */
export function objectName(object: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}
