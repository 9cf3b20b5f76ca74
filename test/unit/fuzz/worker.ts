// The worker thread that runs one fuzz target at a time for harness.ts. Before each input it tells the harness
// which input it starts (so that a hang, which no code in this thread can report, is reported there with the
// input), then runs the target's check and adds the properties every target shares: no error escapes as an
// uncaught exception or unhandled rejection, Object.prototype is left as it was, and no case takes longer
// than the budget.
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { AnyTarget, CASE_BUDGET_MS, previewOf, PropertyBroken, type RunRequest, type WorkerMessage } from './target';

let escaped: unknown[] = [];
process.on('uncaughtException', (error) => escaped.push(error));
process.on('unhandledRejection', (reason) => escaped.push(reason));

const prototypeKeys = (): string[] => Reflect.ownKeys(Object.prototype).map(String).sort();

async function run(request: RunRequest): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const targets = (require(request.module) as { targets: AnyTarget[] }).targets;
  const target = targets.find((candidate) => candidate.name === request.target);
  if (!target) throw new Error(`${request.module} has no target "${request.target}"`);
  const setupStart = performance.now();
  await target.setup?.();
  const setupMs = performance.now() - setupStart;
  const cleanPrototype = prototypeKeys();
  let n = 0;
  let slowestMs = 0;
  const property = fc.asyncProperty(target.arbitrary(), async (input) => {
    n += 1;
    parentPort!.postMessage({ type: 'case', n, preview: (target.preview ?? previewOf)(input) } satisfies WorkerMessage);
    escaped = [];
    const start = performance.now();
    let failed: { error: unknown } | undefined;
    try {
      await target.check(input);
    } catch (error) {
      failed = { error };
    }
    // Errors thrown later by a stream handler or a forgotten promise surface by the next macrotask.
    await new Promise((resolve) => setImmediate(resolve));
    parentPort!.postMessage({ type: 'caseDone' } satisfies WorkerMessage);
    // Cleaned up whatever the check did, so that the next input (and the shrinking) starts clean. A polluted
    // prototype is reported before the check's own failure, which it may well have caused.
    const polluted = prototypeKeys().filter((key) => !cleanPrototype.includes(key));
    for (const key of polluted) delete (Object.prototype as Record<string, unknown>)[key];
    if (polluted.length > 0) throw new PropertyBroken(`the input polluted Object.prototype with ${polluted.join(', ')}`);
    if (failed) throw failed.error;
    const took = performance.now() - start;
    slowestMs = Math.max(slowestMs, took);
    if (escaped.length > 0) {
      const [first] = escaped;
      throw new PropertyBroken(`an error escaped as an uncaught exception or unhandled rejection: ${first instanceof Error ? first.stack : String(first)}`);
    }
    if (took > CASE_BUDGET_MS) throw new PropertyBroken(`one input took ${Math.round(took)} ms (budget ${CASE_BUDGET_MS} ms)`);
  });
  let details;
  try {
    details = await fc.check(property, { seed: request.seed, numRuns: request.numRuns, path: request.path,
      examples: (target.examples ?? []).map((example) => [example]) });
  } finally {
    target.teardown?.();
  }
  const error = details.errorInstance;
  const failure = details.failed
    ? `${fc.defaultReportMessage(details) ?? `failed after ${details.numRuns} inputs`}\nGot: ${error instanceof Error ? error.stack : String(error)}`
    : undefined;
  parentPort!.postMessage({ type: 'done', runs: details.numRuns, failure, slowestMs, setupMs } satisfies WorkerMessage);
}

parentPort?.on('message', (request: RunRequest) => {
  run(request).catch((error: unknown) => {
    parentPort!.postMessage({ type: 'done', runs: 0, failure: `the target could not run: ${error instanceof Error ? error.stack : String(error)}`, slowestMs: 0, setupMs: 0 } satisfies WorkerMessage);
  });
});
