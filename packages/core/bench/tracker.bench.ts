/**
 * µs per `track()` and per flushed event, against a baseline run in the same process: pushing
 * a similar object to an array. Run: `npm run bench -w @waymark/core`.
 */
import { bench, describe } from 'vitest';
import { createMemoryQueueStore, createMemoryStorage, createTracker, type Transport } from '@waymark/core';

const transport: Transport = { send: async () => ({ status: 'delivered' }) };
const platform = {
  transport,
  storage: createMemoryStorage(),
  queueStore: createMemoryQueueStore(),
  // timers that never fire: the bench measures track(), flushing is measured separately
  timers: { setTimeout: () => 0, clearTimeout: () => {} },
  location: () => ({ url: 'https://grants.example.com/apply', referrer: 'https://google.com' }),
};
const opts = { org: 'your-org-slug', journey: 'grant-application', endpoint: '/api/ingest' };

describe('track()', () => {
  const arr: object[] = [];
  bench('baseline: push a step_view-like object to an array', () => {
    arr.push({ _tag: 'step_view', stepKey: 'eligibility-check', ts: Date.now() });
    if (arr.length > 10_000) arr.length = 0;
  });

  // flushAt/flushBytes high enough that no flush happens inside the measured calls
  const t = createTracker({ ...opts, platform, flushAt: 1e9, flushBytes: 1e12, flushInterval: 1e9 });
  let n = 0;
  bench('track("step_view", { stepKey })', () => {
    t.track('step_view', { stepKey: 'eligibility-check' });
    // drop the buffer now and then so memory stays flat (optOut/optIn is cheap and sync)
    if (++n % 10_000 == 0) {
      t.optOut();
      t.optIn();
    }
  });
});

describe('flush (per batch of 20 events: serialise + queue + send)', () => {
  const t = createTracker({ ...opts, platform: { ...platform, storage: createMemoryStorage() }, flushAt: 1e9, flushInterval: 1e9 });
  bench('baseline: JSON.stringify 20 step_view-like objects', () => {
    const a = [];
    for (let i = 0; i < 20; i++) a.push({ _tag: 'step_view', stepKey: 'eligibility-check', id: String(i), ts: new Date().toISOString() });
    JSON.stringify({ schemaVersion: 1, events: a });
  });
  bench('track() x20 + flush()', async () => {
    for (let i = 0; i < 20; i++) t.track('step_view', { stepKey: 'eligibility-check' });
    await t.flush();
  });
});
