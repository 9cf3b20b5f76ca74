// Runs fuzz targets in a worker thread (worker.ts), one mocha test per target. The worker says which input it
// starts; a watchdog here ends the worker when one input runs longer than the budget, so that even a hang in
// synchronous code fails the test (with the input) instead of stalling the suite. Every target's seed is
// printed: DRIFTLINE_FUZZ_SEED=<seed> replays it (DRIFTLINE_FUZZ_PATH=<path> one counterexample, as
// fast-check reports it), and DRIFTLINE_FUZZ_RUNS=<n> tries n inputs per target instead of each one's default.
// After the suite, one line gives the figures: inputs tried per target and crashes.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { CASE_BUDGET_MS, type AnyTarget, type RunRequest, type WorkerMessage } from './target';

interface Figures {
  name: string;
  runs: number;
  failed: boolean;
  seconds: number;
}

const figures: Figures[] = [];

function seedFor(): number {
  const fixed = process.env.DRIFTLINE_FUZZ_SEED;
  if (fixed !== undefined && fixed.trim() !== '') {
    const seed = Number(fixed);
    if (!Number.isInteger(seed)) throw new Error(`DRIFTLINE_FUZZ_SEED must be an integer, not "${fixed}"`);
    return seed;
  }
  return Math.floor(Math.random() * 0x7fffffff);
}

function runsFor(target: AnyTarget): number {
  const override = Number(process.env.DRIFTLINE_FUZZ_RUNS);
  return Number.isInteger(override) && override > 0 ? override : target.runs;
}

let worker: Worker | undefined;

function freshWorker(): Worker {
  worker ??= new Worker(path.join(__dirname, 'worker.js'), {
    // The stack of a main thread (Node's default ~1 MB, not a worker's 4 MB), so that deep nesting overflows
    // where it would in the CLI or the extension host; and a heap limit, so a memory bomb fails one target.
    resourceLimits: { stackSizeMb: 1, maxOldGenerationSizeMb: 1024 },
    // yaml warns through process warnings (a collection used as a key): not failures, and noise here.
    execArgv: ['--no-warnings'],
  });
  worker.unref();
  return worker;
}

function killWorker(): void {
  void worker?.terminate();
  worker = undefined;
}

/** Runs one target in the worker; resolves its figures, or a failure text. */
function runInWorker(request: RunRequest): Promise<{ runs: number; failure?: string }> {
  const current = freshWorker();
  return new Promise((resolve) => {
    let lastCase: { n: number; preview: string; at: number; running: boolean } | undefined;
    const finish = (result: { runs: number; failure?: string }) => {
      clearInterval(watchdog);
      current.off('message', onMessage);
      current.off('error', onError);
      current.off('exit', onExit);
      resolve(result);
    };
    const replay = `replay: DRIFTLINE_FUZZ_SEED=${request.seed}`;
    const watchdog = setInterval(() => {
      // Only while an input runs: making the next input (the mutations) is the test's own time.
      if (!lastCase?.running || performance.now() - lastCase.at <= CASE_BUDGET_MS) return;
      killWorker();
      finish({
        runs: lastCase.n,
        failure: `input ${lastCase.n} ran longer than ${CASE_BUDGET_MS} ms (a hang; ${replay}): ${lastCase.preview}`,
      });
    }, 50);
    const onMessage = (message: WorkerMessage) => {
      if (message.type === 'case') lastCase = { n: message.n, preview: message.preview, at: performance.now(), running: true };
      else if (message.type === 'caseDone') { if (lastCase) lastCase.running = false; }
      else finish({ runs: message.runs, failure: message.failure && `${message.failure.slice(0, 6000)}\n(${replay})` });
    };
    const onError = (error: Error) => {
      killWorker();
      finish({ runs: lastCase?.n ?? 0, failure: `the worker died at input ${lastCase?.n} (${replay}): ${error.stack}\ninput: ${lastCase?.preview}` });
    };
    const onExit = (code: number) => {
      worker = undefined;
      finish({ runs: lastCase?.n ?? 0, failure: `the worker exited (${code}) at input ${lastCase?.n} (${replay}): ${lastCase?.preview}` });
    };
    current.on('message', onMessage);
    current.on('error', onError);
    current.on('exit', onExit);
    current.postMessage(request);
  });
}

/** One mocha test per target of `module` (the compiled path of a *Targets module exporting `targets`). */
export function fuzzTargets(module: string, targets: AnyTarget[]): void {
  for (const target of targets) {
    it(`fuzz ${target.name}: no crash, no hang, errors name the input`, async function () {
      this.timeout(120_000);
      const seed = seedFor();
      const numRuns = runsFor(target);
      console.log(`      fuzz ${target.name}: seed ${seed}, ${numRuns} inputs`);
      const start = performance.now();
      const result = await runInWorker({ module, target: target.name, seed, numRuns, path: process.env.DRIFTLINE_FUZZ_PATH || undefined });
      figures.push({ name: target.name, runs: result.runs, failed: !!result.failure, seconds: (performance.now() - start) / 1000 });
      if (result.failure) throw new Error(`fuzz ${target.name}: ${result.failure}`);
    });
  }
}

after(() => {
  killWorker();
  if (figures.length === 0) return;
  const crashes = figures.filter((f) => f.failed).length;
  const total = figures.reduce((sum, f) => sum + f.runs, 0);
  // The targets' own time: in a whole unit run, other suites run between the first fuzz test and this hook.
  const seconds = figures.reduce((sum, f) => sum + f.seconds, 0).toFixed(1);
  console.log(`fuzz: ${total} inputs over ${figures.length} targets (${figures.map((f) => `${f.name} ${f.runs}`).join(', ')}); crashes ${crashes}; ${seconds} s`);
});
