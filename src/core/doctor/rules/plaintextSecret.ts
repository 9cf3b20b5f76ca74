// A Secret an app applies from a file that a .sops.yaml creation rule says should be encrypted, but is not:
// committed, its values are in Git's history for good.
import { readFileSync } from 'node:fs';
import { describePlaintextSecret, plaintextSecretsIn } from '../../sops/plaintextSecrets';
import { desiredObjectsOf } from '../doctorInput';
import type { RuleFinding } from '../finding';
import type { DoctorRule } from '../rule';

export const plaintextSecret: DoctorRule = {
  id: 'plaintext-secret',
  severity: 'error',
  summary: 'a Secret with plaintext data in a file a .sops.yaml creation rule says should be SOPS-encrypted',
  check(views) {
    const found: RuleFinding[] = [];
    const checked = new Set<string>();
    for (const { view, app, desired } of desiredObjectsOf(views)) {
      const file = desired.source.file;
      if (desired.object.kind !== 'Secret' || checked.has(file)) continue;
      checked.add(file);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // rendered from a file that is gone: the next refresh reports it
      }
      for (const secret of plaintextSecretsIn(text, file)) {
        found.push({
          location: { file, line: secret.start.line }, environment: view.environment.name, app: app.name,
          object: { apiVersion: 'v1', kind: 'Secret', name: secret.name },
          message: `${describePlaintextSecret(secret)}: encrypt it before committing`,
        });
      }
    }
    return found;
  },
};
