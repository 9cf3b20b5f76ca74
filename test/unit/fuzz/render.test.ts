// Bad-input fuzzing of tool output and manifest parsing (see renderTargets.ts and harness.ts).
import { fuzzTargets } from './harness';
import { targets } from './renderTargets';

describe('fuzz: kustomize/helm output and manifests', () => {
  fuzzTargets(require.resolve('./renderTargets'), targets);
});
