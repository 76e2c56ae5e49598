/**
 * The isolation plan of the processor's apply step (`store/isolate.ts`) and the processors'
 * backoff (`processor-health.ts`), without a store: which parts are attempted, which events end up
 * failed, that transient errors are rethrown, and how the wait grows.
 */
import { describe, expect, it } from 'vitest';
import { isolateAsync, isolateSync } from '../../src/store/isolate';
import { createRunTracker } from '../../src/processor-health';
import type { StoredEvent } from '../../src/store/types';

const events = (n: number) => Array.from({ length: n }, (_, i) => ({ seq: i + 1 }) as StoredEvent);
const dataError = () => Object.assign(new Error('violates check constraint'), { code: '23514' });

/** Applies parts, failing any part that holds a poisoned seq; records what was applied. */
function fakeApply(poison: Set<number>) {
  const applied: number[] = [];
  let attempts = 0;
  return {
    applied,
    attempts: () => attempts,
    apply(part: StoredEvent[]) {
      attempts++;
      if (part.some((e) => poison.has(e.seq))) throw dataError();
      applied.push(...part.map((e) => e.seq));
    },
  };
}
const noSavepoint = (fn: () => void) => fn();

describe('isolating the apply step', () => {
  it('applies a claim without failures in one attempt', () => {
    const f = fakeApply(new Set());
    expect(isolateSync(events(2000), f.apply, noSavepoint)).toEqual([]);
    expect([f.attempts(), f.applied.length]).toEqual([1, 2000]);
  });

  it('leaves out only the events that fail on their own and applies the rest in claim order', () => {
    const f = fakeApply(new Set([3, 1500]));
    const failed = isolateSync(events(2000), f.apply, noSavepoint);
    expect(failed.map((x) => x.event.seq)).toEqual([3, 1500]);
    expect(failed[0]!.error).toMatchObject({ code: '23514' });
    expect(f.applied).toEqual(events(2000).map((e) => e.seq).filter((s) => s !== 3 && s !== 1500));
    expect(f.attempts()).toBeLessThanOrEqual(1 + 2 * 2 * Math.ceil(Math.log2(2000)));
  });

  it('dead-letters every event when every one fails, in about 2n attempts', () => {
    const f = fakeApply(new Set(events(64).map((e) => e.seq)));
    expect(isolateSync(events(64), f.apply, noSavepoint)).toHaveLength(64);
    expect(f.attempts()).toBe(127);
  });

  it('rethrows a transient error (lock, busy, connection) instead of dead-lettering', async () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(() => isolateSync(events(4), () => { throw busy; }, noSavepoint)).toThrow(busy);
    const lost = new Error('Connection terminated unexpectedly');
    await expect(isolateAsync(events(4), async () => { throw lost; }, (fn) => fn())).rejects.toBe(lost);
  });

  it('isolates an exception of the apply code itself (a bug one event trips)', async () => {
    const failed = await isolateAsync(
      events(10),
      async (part) => {
        if (part.some((e) => e.seq === 7)) throw new TypeError("Cannot read properties of undefined (reading 'stepId')");
      },
      (fn) => fn(),
    );
    expect(failed.map((x) => x.event.seq)).toEqual([7]);
  });
});

describe('the processors\' backoff', () => {
  it('doubles the wait per failure up to the cap, with jitter, and resets on success', () => {
    let t = 1000;
    const tracker = createRunTracker({ baseMs: 500, maxMs: 8000, now: () => t, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6].map(() => tracker.failed(new Error('busy')))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(tracker.waitMs()).toBe(8000);
    expect(tracker.health()).toMatchObject({ consecutiveFailures: 6, failingSince: 1000, lastError: 'busy' });
    t += 8000;
    expect(tracker.waitMs()).toBe(0);
    tracker.succeeded();
    expect(tracker.health()).toEqual({ consecutiveFailures: 0, failingSince: null, lastError: null, lastSuccessAt: 9000 });
    const jittered = createRunTracker({ baseMs: 500, random: () => 0 });
    expect(jittered.failed(new Error('x'))).toBe(250);
  });
});
