import * as assert from 'node:assert/strict';
import { mapWithLimit, Slots } from '../../src/core/concurrency';

describe('mapWithLimit', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithLimit([5, 1, 4, 2, 3], 2, async (value) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return value * 10;
    });
    assert.deepEqual(results, [50, 10, 40, 20, 30]);
    assert.equal(peak, 2);
  });

  it('stops taking new work once the signal is aborted', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await assert.rejects(mapWithLimit([1, 2, 3, 4], 1, async (value) => {
      started.push(value);
      if (value === 2) controller.abort();
    }, controller.signal), { name: 'AbortError' });
    assert.deepEqual(started, [1, 2]);
  });
});

describe('Slots', () => {
  it('runs at most its limit at once, in arrival order, and frees a slot when a run fails', async () => {
    const slots = new Slots(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const job = (id: number, fail = false) => slots.run(async () => {
      started.push(id);
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (fail) throw new Error(`job ${id} failed`);
      return id;
    });
    const results = await Promise.allSettled([job(1, true), job(2), job(3), job(4), job(5)]);
    assert.equal(peak, 2);
    assert.deepEqual(started, [1, 2, 3, 4, 5]);
    assert.equal(results[0].status, 'rejected');
    assert.deepEqual(results.slice(1).map((result) => result.status === 'fulfilled' && result.value), [2, 3, 4, 5]);
    assert.equal(await job(6), 6, 'every slot is free again');
  });

  it('lets a waiter whose signal aborts leave the queue at once; it never runs and takes no slot', async () => {
    const slots = new Slots(1);
    let release!: () => void;
    const holder = slots.run(() => new Promise<string>((resolve) => { release = () => resolve('held'); }));
    const started: string[] = [];
    const controller = new AbortController();
    const aborted = slots.run(async () => { started.push('aborted'); }, controller.signal);
    const next = slots.run(async () => { started.push('next'); return 'next'; });
    controller.abort();
    await assert.rejects(aborted, { name: 'AbortError' });
    assert.deepEqual(started, [], 'rejected while the holder still runs');
    release();
    assert.deepEqual(await Promise.all([holder, next]), ['held', 'next']);
    assert.deepEqual(started, ['next']);
    await assert.rejects(slots.run(async () => 'never', AbortSignal.abort()), { name: 'AbortError' });
    assert.equal(await slots.run(async () => 'free'), 'free', 'the slot is free again');
  });
});
