// Runs kubectl for the benchmark: the renderer of record for setup (`kubectl kustomize`), the applier of the
// baseline and the drift, and the peer being measured. Independent of Driftline's own code on purpose, so
// a bug in the engine cannot hide in the ground truth.
import { spawn } from 'node:child_process';

/**
 * @param {string[]} args
 * @param {{ kubeconfig?: string, context?: string, input?: string, allowExit?: number[] }} [options]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function kubectl(args, { kubeconfig, context, input, allowExit = [0] } = {}) {
  const full = [
    ...(kubeconfig ? ['--kubeconfig', kubeconfig] : []),
    ...(context ? ['--context', context] : []),
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', full, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
      if (allowExit.includes(result.code)) resolve(result);
      else reject(new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`));
    });
    child.stdin.end(input ?? '');
  });
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the results in order. */
export async function mapBounded(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
