// Bad-input fuzzing of `.driftline.yaml` (see discoveryTargets.ts and harness.ts).
import { targets } from './discoveryTargets';
import { fuzzTargets } from './harness';

describe('fuzz: .driftline.yaml', () => {
  fuzzTargets(require.resolve('./discoveryTargets'), targets);
});
