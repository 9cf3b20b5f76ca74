import * as assert from 'node:assert/strict';
import { SharedWork, untilAborted } from '../../src/core/abort';

/** Work that runs until `finish` is called or its signal aborts (then it rejects with the reason). */
function controllableWork() {
  let finish!: (value: string) => void;
  let signal!: AbortSignal;
  const work = (given: AbortSignal) => new Promise<string>((resolve, reject) => {
    signal = given;
    finish = resolve;
    given.addEventListener('abort', () => reject(given.reason), { once: true });
  });
  return { work, finish: (value: string) => finish(value), signal: () => signal };
}

describe('untilAborted', () => {
  it('rejects with the abort reason as soon as the signal aborts, else settles as the promise does', async () => {
    const controller = new AbortController();
    const pending = untilAborted(new Promise(() => undefined), controller.signal);
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    assert.equal(await untilAborted(Promise.resolve(3), new AbortController().signal), 3);
    await assert.rejects(untilAborted(Promise.resolve(3), AbortSignal.abort()), { name: 'AbortError' });
  });
});

describe('SharedWork', () => {
  it('goes on while one caller still waits, and stops when the last waiting caller aborts', async () => {
    const { work, signal } = controllableWork();
    let stopped = 0;
    const shared = new SharedWork(work, () => { stopped += 1; });
    const first = new AbortController();
    const second = new AbortController();
    const waits = [shared.wait(first.signal), shared.wait(second.signal)];
    first.abort();
    await assert.rejects(waits[0], { name: 'AbortError' });
    assert.equal(signal().aborted, false, 'the second caller still waits');
    assert.equal(shared.stopped, false);
    second.abort();
    await assert.rejects(waits[1], { name: 'AbortError' });
    assert.equal(signal().aborted, true);
    assert.equal(shared.stopped, true);
    assert.equal(stopped, 1);
    await assert.rejects(shared.promise, { name: 'AbortError' });
  });

  it('is never stopped by a caller without a signal, nor by an abort after it finished', async () => {
    const pinned = controllableWork();
    const shared = new SharedWork(pinned.work);
    const controller = new AbortController();
    const withSignal = shared.wait(controller.signal);
    const withoutSignal = shared.wait();
    controller.abort();
    await assert.rejects(withSignal, { name: 'AbortError' });
    assert.equal(pinned.signal().aborted, false);
    pinned.finish('model');
    assert.equal(await withoutSignal, 'model');

    const finished = controllableWork();
    const done = new SharedWork(finished.work);
    const late = new AbortController();
    const waited = done.wait(late.signal);
    finished.finish('model');
    assert.equal(await waited, 'model');
    late.abort();
    assert.equal(done.stopped, false);
    assert.equal(await done.wait(new AbortController().signal), 'model');
  });
});
