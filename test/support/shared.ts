// The team's shared test data (real GitOps example repos, sops vectors) lives in `shared/` beside the
// checkout, on developer machines and in CI alike; $DRIFTLINE_SHARED points elsewhere.
import path from 'node:path';

const sharedDir = process.env.DRIFTLINE_SHARED ?? path.resolve(__dirname, '../../../../shared');

export function sharedPath(...parts: string[]): string {
  return path.join(sharedDir, ...parts);
}
