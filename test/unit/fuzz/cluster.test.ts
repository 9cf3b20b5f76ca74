// Bad-input fuzzing of kubeconfig loading and of the API server's answers (see clusterTargets.ts and harness.ts).
import { targets } from './clusterTargets';
import { fuzzTargets } from './harness';

describe('fuzz: kubeconfig and API answers', () => {
  fuzzTargets(require.resolve('./clusterTargets'), targets);
});
