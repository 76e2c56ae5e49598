import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createTracker, type SendResult } from '@waymark/core';
import { createIdbQueueStore } from '@waymark/core/idb';
import { base, platform, recorder, tags } from './helpers';

describe('createIdbQueueStore', () => {
  it('stores batches in its own database, oldest first', async () => {
    const s = createIdbQueueStore({ dbName: 'wm-test-1' });
    const b = (key: string) => ({ key, body: key, count: 1, createdAt: 0, attempts: 0, notBefore: 0 });
    await s.put(b('m2'));
    await s.put(b('m1'));
    expect((await s.list()).map((x) => x.key)).toEqual(['m1', 'm2']);
    await s.remove('m1');
    expect((await s.list()).map((x) => x.key)).toEqual(['m2']);
    const dbs = await indexedDB.databases();
    expect(dbs.map((d) => d.name)).toContain('wm-test-1');
    expect(dbs.map((d) => d.name)).not.toContain('keyval-store');
  });

  it('a batch kept in IndexedDB is delivered by a new tracker (as after a reload) and removed only on success', async () => {
    const dbName = 'wm-test-2';
    const down: SendResult = { status: 'retryable', reason: 'http_503' };
    const first = recorder([down]);
    const t1 = createTracker({ ...base, platform: platform({ transport: first, queueStore: createIdbQueueStore({ dbName }) }) });
    t1.track('step_view', { stepKey: 'a' });
    await t1.flush();
    expect(first.sent).toHaveLength(1);
    expect(await createIdbQueueStore({ dbName }).list()).toHaveLength(1); // the page goes away here

    // reload: a new tracker, a new store object over the same database; the collector still fails once
    const second = recorder([down]);
    const p2 = platform({ transport: second, queueStore: createIdbQueueStore({ dbName }) });
    const t2 = createTracker({ ...base, platform: p2 });
    await t2.flush();
    expect(second.bodies[0]).toBe(first.bodies[0]);
    // not acknowledged: still there, first in line (the new page's own batch waits behind it)
    expect((await createIdbQueueStore({ dbName }).list()).map((b) => b.body)[0]).toBe(first.bodies[0]);

    const third = recorder();
    const t3 = createTracker({ ...base, platform: platform({ transport: third, queueStore: createIdbQueueStore({ dbName }) }) });
    await t3.flush();
    expect(third.bodies[0]).toBe(first.bodies[0]);
    expect(tags(third.sent[0]!)).toEqual(['session_start', 'step_view']);
    expect(await createIdbQueueStore({ dbName }).list()).toEqual([]);
  });
});
