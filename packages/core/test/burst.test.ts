import { describe, expect, it } from 'vitest';
import { createMemoryQueueStore, createTracker, type TrackerEvents, type Transport } from '@waymark/core';
import { base } from './helpers';

/** Polls `cond` (real timers) for at most `ms`; fails with `what` when it never holds. */
async function until(cond: () => boolean, what: string, ms = 30_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a burst with a healthy endpoint', () => {
  it('20,000 back-to-back track() calls answered on the next macrotask: every event delivered, nothing dropped', async () => {
    const ids = new Set<string>();
    let requests = 0;
    const transport: Transport = {
      async send(body) {
        requests++;
        for (const e of JSON.parse(body).events) ids.add(e.id);
        await new Promise((r) => setTimeout(r, 0));
        return { status: 'delivered' };
      },
    };
    const t = createTracker({ ...base, platform: { transport, queueStore: createMemoryQueueStore(), location: () => ({ url: 'https://x.test/' }) } });
    const drops: TrackerEvents['drop'][] = [];
    t.on('drop', (d) => drops.push(d));
    for (let i = 0; i < 20_000; i++) t.track('bench_event', { i });
    await t.flush();
    await until(() => ids.size == 20_001, `20,001 events (with session_start), got ${ids.size}`);
    expect(drops).toEqual([]);
    expect(t.pending).toBe(0);
    // while a send is under way the buffer grows to a full batch, so a burst needs few requests
    expect(requests).toBeLessThan(200);
  });
});

describe('page hide', () => {
  it('sends by beacon what flush() handed to the queue and is not acknowledged yet, also while its request is in flight', async () => {
    const beaconed: string[] = [];
    let hide: (e: 'hide') => void = () => {};
    const t = createTracker({
      ...base,
      platform: {
        transport: { send: () => new Promise(() => {}) }, // the request never comes back: the page is closing
        beaconTransport: { send: async (b) => (beaconed.push(b), { status: 'delivered' }) },
        // a store whose writes are slow, as IndexedDB is while a page closes
        queueStore: { ...createMemoryQueueStore(), put: () => new Promise((r) => setTimeout(r, 50)) },
        onLifecycle: (f) => ((hide = f), () => {}),
        location: () => ({ url: 'https://x.test/' }),
      },
    });
    const e = t.track('step_view', { stepKey: 'last' })!;
    void t.flush();
    hide('hide');
    expect(beaconed.join()).toContain(e.id);
  });
});
