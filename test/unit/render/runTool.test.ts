// runTool against real processes: a tool that hangs is killed with what it started, on abort (at once) and on
// its timeout; a run waiting for a slot leaves the queue when its signal aborts.
import assert from 'node:assert/strict';
import os from 'node:os';
import { runTool, ToolTimeoutError } from '../../../src/core/render/runTool';
import { assertNoneLeft, rejectionAfter, waitUntil, writeHangingTool, type HangingTool } from '../../support/hangingTool';

describe('runTool', () => {
  let tool: HangingTool;
  beforeEach(() => { tool = writeHangingTool('kustomize'); });
  afterEach(() => tool.remove());

  it('on abort kills the tool and the process it started, and rejects at once with an AbortError', async () => {
    const controller = new AbortController();
    const run = runTool(tool.path, ['build', '.'], { signal: controller.signal });
    await waitUntil(() => tool.runs() === 1, 'the tool started');
    const abortedAt = Date.now();
    controller.abort();
    const { error, ms } = await rejectionAfter(run, abortedAt);
    assert.equal(error.name, 'AbortError');
    assert.ok(ms < 1000, `rejected ${ms} ms after the abort`);
    assert.equal(tool.pids().length, 2, 'the shell and its child');
    await assertNoneLeft(tool);
  });

  it('rejects before starting anything when the signal is already aborted', async () => {
    await assert.rejects(runTool(tool.path, ['build', '.'], { signal: AbortSignal.abort() }), { name: 'AbortError' });
    assert.equal(tool.runs(), 0);
  });

  it('kills a tool that outlives its timeout and says which tool did not finish within how long', async () => {
    const startedAt = Date.now();
    const { error, ms } = await rejectionAfter(runTool(tool.path, ['build', '.'], { timeoutMs: 1500, label: 'kustomize' }), startedAt);
    assert.ok(error instanceof ToolTimeoutError, String(error));
    assert.equal(error.message, 'kustomize did not finish within 1.5 s and was stopped');
    assert.ok(ms >= 1500 && ms < 2500, `rejected after ${ms} ms`);
    assert.equal(tool.runs(), 1);
    await assertNoneLeft(tool);
  });

  it('lets a run waiting for a tool slot leave the queue on abort, without ever starting it', async () => {
    // As many hanging runs as there are slots (runTool's own limit), then one more that has to wait.
    const slots = Math.max(2, os.availableParallelism());
    const holders = new AbortController();
    const held = Array.from({ length: slots }, () => runTool(tool.path, ['build', '.'], { signal: holders.signal }).catch((error: Error) => error));
    await waitUntil(() => tool.runs() === slots, `${slots} runs hold every slot`);
    const waiter = new AbortController();
    const waiting = runTool(tool.path, ['build', '.'], { signal: waiter.signal });
    const abortedAt = Date.now();
    waiter.abort();
    const { error, ms } = await rejectionAfter(waiting, abortedAt);
    assert.equal(error.name, 'AbortError');
    assert.ok(ms < 100, `left the queue ${ms} ms after the abort`);
    holders.abort();
    for (const result of await Promise.all(held)) assert.equal((result as Error).name, 'AbortError');
    // The slots are free again: a run that finishes works (and the aborted waiter did not take a slot first).
    assert.equal((await runTool('/bin/sh', ['-c', 'echo ok'])).stdout, 'ok\n');
    assert.equal(tool.runs(), slots, 'the aborted waiter never started its tool');
    await assertNoneLeft(tool);
  });
});
