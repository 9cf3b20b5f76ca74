// The team's shared test data (real GitOps example repos, sops vectors: third-party files the project does not
// ship) lives in `shared/` beside the checkout on developer machines and in CI; $DRIFTLINE_SHARED points
// elsewhere. A fresh clone has none of it: the tests that need a dataset are declared with describeWithShared /
// itWithShared, and where the dataset is absent they are skipped (pending) with one line per dataset, e.g.
//   skipped: 12 tests need shared/sops-vectors (not present at /work/shared/sops-vectors)
// Everything else runs on the project's own fixtures.
import fs from 'node:fs';
import path from 'node:path';

const sharedDir = process.env.DRIFTLINE_SHARED ?? path.resolve(__dirname, '../../../../shared');

export function sharedPath(...parts: string[]): string {
  return path.join(sharedDir, ...parts);
}

/** The datasets of shared/ that tests use, each a folder. */
export type SharedDataset =
  | 'sops-vectors'
  | 'gitops-examples/argocd-example-apps'
  | 'gitops-examples/flux2-kustomize-helm-example'
  | 'gitops-examples/flux2-kustomize-helm-example-artifacts'
  | 'gitops-examples'
  /** Real CRDs of the controllers the project does not ship (Argo Rollouts, Flagger, ...): shared/crds/README.md. */
  | 'crds';

/** Whether a dataset is present (its folder exists). */
export function hasShared(dataset: SharedDataset): boolean {
  return fs.existsSync(sharedPath(dataset));
}

interface Needs {
  suites: Mocha.Suite[];
  tests: Mocha.Test[];
  reported: boolean;
}

const needs = new Map<SharedDataset, Needs>();

function needsOf(dataset: SharedDataset): Needs {
  let entry = needs.get(dataset);
  if (!entry) needs.set(dataset, entry = { suites: [], tests: [], reported: false });
  return entry;
}

const list = (datasets: SharedDataset | SharedDataset[]): SharedDataset[] => (Array.isArray(datasets) ? datasets : [datasets]);

/**
 * Says once per dataset how many tests are skipped for want of it. All test files are loaded before any hook
 * runs, so every suite and test that needs the dataset is registered by then.
 */
function reportMissing(dataset: SharedDataset): void {
  const entry = needsOf(dataset);
  if (entry.reported) return;
  entry.reported = true;
  const count = entry.suites.reduce((sum, suite) => sum + suite.total(), 0) + entry.tests.length;
  console.log(`skipped: ${count} ${count === 1 ? 'test needs' : 'tests need'} shared/${dataset} (not present at ${sharedPath(dataset)})`);
}

/** Skips the running hook's or test's scope when a dataset is absent, saying so once per dataset. */
function skipUnlessPresent(context: Mocha.Context, datasets: SharedDataset[]): void {
  const missing = datasets.filter((dataset) => !hasShared(dataset));
  if (missing.length === 0) return;
  for (const dataset of missing) reportMissing(dataset);
  context.skip();
}

/**
 * A describe whose tests need shared datasets: where one is absent, a `before` (registered ahead of the body's
 * own hooks) skips the whole suite, so none of its hooks touch the missing files. The body must not read the
 * dataset while it is being defined (in test titles, say); only in hooks and tests.
 */
export function describeWithShared(datasets: SharedDataset | SharedDataset[], title: string, body: (this: Mocha.Suite) => void): Mocha.Suite {
  const wanted = list(datasets);
  const suite = describe(title, function () {
    before(function () { skipUnlessPresent(this, wanted); });
    body.call(this);
  });
  for (const dataset of wanted) needsOf(dataset).suites.push(suite);
  return suite;
}

/** One test that needs shared datasets, in a suite whose other tests do not: pending where one is absent. */
export function itWithShared(datasets: SharedDataset | SharedDataset[], title: string, fn: (this: Mocha.Context) => Promise<unknown> | void): Mocha.Test {
  const wanted = list(datasets);
  const test = it(title, function () {
    skipUnlessPresent(this, wanted);
    return fn.call(this);
  });
  for (const dataset of wanted) needsOf(dataset).tests.push(test);
  return test;
}
