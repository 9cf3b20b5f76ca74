// `kind: Secret` manifests holding plaintext data in a file a .sops.yaml creation rule says should be encrypted:
// a secret about to be committed in the clear. Shared by the editor's diagnostics and `driftline doctor`.
import { LineCounter, isMap, parseAllDocuments } from 'yaml';
import { isSopsEncrypted } from './decrypt';
import { findCreationRule, type CreationRule } from './rules';
import { formatForPath } from './stores';

export interface PlaintextSecret {
  name: string;
  /** 1-based line and column of the `kind` value, and where it ends. */
  start: { line: number; col: number };
  end: { line: number; col: number };
  rule: CreationRule;
}

/** The plaintext Secrets of a YAML file's text; none when the file is encrypted, not YAML, or no rule covers it. */
export function plaintextSecretsIn(text: string, file: string): PlaintextSecret[] {
  if (formatForPath(file) !== 'yaml' || !/^kind:\s*["']?Secret\b/m.test(text) || isSopsEncrypted(text, 'yaml')) return [];
  let rule: CreationRule | undefined;
  try {
    rule = findCreationRule(file);
  } catch {
    return []; // an unreadable .sops.yaml is reported where it is used
  }
  if (!rule) return [];
  const lineCounter = new LineCounter();
  const found: PlaintextSecret[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    if (!('contents' in doc) || !isMap(doc.contents)) continue;
    const manifest = doc.contents;
    const hasData = ['data', 'stringData'].some((field) => {
      const value = manifest.get(field, true);
      return isMap(value) && value.items.length > 0;
    });
    const plain = manifest.toJSON() as { kind?: unknown; metadata?: { name?: unknown } };
    if (plain.kind !== 'Secret' || !hasData) continue;
    const kindNode = manifest.get('kind', true) as { range?: [number, number, number] } | undefined;
    const [from, to] = kindNode?.range ?? [0, 0];
    found.push({ name: String(plain.metadata?.name ?? '(unnamed)'), start: lineCounter.linePos(from), end: lineCounter.linePos(to), rule });
  }
  return found;
}

/** The one wording of the finding, in the editor and the CLI. */
export function describePlaintextSecret(secret: PlaintextSecret): string {
  return `Secret ${secret.name} holds plaintext data, but creation rule ${secret.rule.index + 1} of ${secret.rule.configFile} says this file should be SOPS-encrypted`;
}
