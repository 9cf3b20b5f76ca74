// Bad-input fuzzing of the SOPS stores, metadata and .sops.yaml rules (see sopsTargets.ts and harness.ts).
import { fuzzTargets } from './harness';
import { targets } from './sopsTargets';

describe('fuzz: SOPS', () => {
  fuzzTargets(require.resolve('./sopsTargets'), targets);
});
