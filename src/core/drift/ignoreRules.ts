// Ignore rules (like Argo CD `ignoreDifferences`): fields a team lets drift on purpose, e.g. replicas owned by
// an autoscaler. Applied to both sides before comparing, so an ignored field can never be reported.
import { groupOf, type IgnoreRule, type KubeObject } from '../model';
import { removeAtPointer } from './jsonPointer';

export function ruleMatches(rule: IgnoreRule, object: KubeObject): boolean {
  if (rule.group !== undefined && rule.group !== groupOf(object.apiVersion)) return false;
  if (rule.kind !== undefined && rule.kind !== object.kind) return false;
  if (rule.name !== undefined && rule.name !== object.metadata.name) return false;
  if (rule.namespace !== undefined && rule.namespace !== (object.metadata.namespace ?? '')) return false;
  return true;
}

/** A copy of `object` without the fields that matching rules ignore. */
export function applyIgnoreRules(object: KubeObject, rules: IgnoreRule[]): KubeObject {
  const matching = rules.filter((rule) => ruleMatches(rule, object));
  if (matching.length === 0) return object;
  const copy = structuredClone(object);
  for (const rule of matching) {
    for (const pointer of rule.jsonPointers) removeAtPointer(copy, pointer);
  }
  return copy;
}
