import * as assert from 'node:assert/strict';
import { mapWithLimit } from '../../src/core/concurrency';

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
