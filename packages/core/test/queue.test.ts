import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryQueueStore, createTracker, type QueueStore } from '@waymark/core';
import { base, platform, recorder, tags, tick } from './helpers';

beforeEach(() => void vi.useFakeTimers({ now: new Date('2026-01-15T10:30:00Z') }));
afterEach(() => void vi.useRealTimers());

const retry = (retryAfterMs?: number) => ({ status: 'retryable' as const, reason: 'http_429', retryAfterMs });

describe('retry queue', () => {
  it('keeps a batch answered 429 and waits its Retry-After before sending it again', async () => {
    const transport = recorder([retry(30_000)]);
    const queueStore = createMemoryQueueStore();
    const t = createTracker({ ...base, platform: platform({ transport, queueStore }) });
    t.track('step_view', { stepKey: 'a' });
    await t.flush();
    expect(transport.sent).toHaveLength(1);
    expect(await queueStore.list()).toHaveLength(1);
    t.track('step_view', { stepKey: 'b' });
    await t.flush(); // behind the Retry-After: stored, not sent
    await tick(29_000);
    expect(transport.sent).toHaveLength(1);
    await tick(1_001);
    expect(transport.sent.map(tags)).toEqual([
      ['session_start', 'step_view'],
      ['session_start', 'step_view'],
      ['step_view'],
    ]);
    expect(transport.bodies[1]).toBe(transport.bodies[0]); // the very same batch, oldest first
    expect(await queueStore.list()).toHaveLength(0);
  });

  it('drops a batch answered 400 and reports it', async () => {
    const transport = recorder([{ status: 'rejected', reason: 'http_400', code: 400 }]);
    const queueStore = createMemoryQueueStore();
    const drops: unknown[] = [];
    const t = createTracker({ ...base, platform: platform({ transport, queueStore }) });
    t.on('drop', (d) => drops.push(d));
    t.track('step_view', { stepKey: 'a' });
    await t.flush();
    await tick(600_000);
    expect(transport.sent).toHaveLength(1);
    expect(await queueStore.list()).toEqual([]);
    expect(drops).toEqual([{ count: 2, reason: 'rejected' }]);
  });

  it('backs off exponentially with jitter after network errors, and retries at once on online', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter: 1 s, 2 s, 4 s …
    const net = { status: 'retryable' as const, reason: 'network_error' };
    const transport = recorder([net, net, net]);
    let emit: (e: 'online') => void = () => {};
    const t = createTracker({ ...base, platform: platform({ transport, onLifecycle: (f) => ((emit = f), () => {}) }) });
    await t.flush();
    expect(transport.sent).toHaveLength(1);
    await tick(999);
    expect(transport.sent).toHaveLength(1); // 1st retry after 1 s
    await tick(1);
    expect(transport.sent).toHaveLength(2);
    await tick(1999);
    expect(transport.sent).toHaveLength(2); // 2nd retry after 2 s
    await tick(1);
    expect(transport.sent).toHaveLength(3); // the next one would wait 4 s …
    emit('online');
    await tick();
    expect(transport.sent).toHaveLength(4); // … but the network is back
    vi.mocked(Math.random).mockRestore();
  });

  it('bounds the queue in count and age and reports the dropped events in context.dropped', async () => {
    let down = true;
    const transport = recorder();
    const send = transport.send;
    transport.send = async (body) => (down ? (transport.bodies.push(body), { status: 'retryable', reason: 'network_error' }) : send(body));
    const queueStore = createMemoryQueueStore();
    const t = createTracker({ ...base, platform: platform({ transport, queueStore }), maxQueuedBatches: 2, maxQueueAge: 3_600_000 });
    for (const k of ['a', 'b', 'c']) {
      t.track('step_view', { stepKey: k });
      await t.flush();
    }
    const kept = await queueStore.list();
    expect(kept).toHaveLength(2); // the oldest (session_start + a) went
    await tick(3_600_000 + 700_000); // a retry (at most 10 min apart) finds both kept batches too old
    down = false;
    t.track('step_view', { stepKey: 'd' });
    await t.flush();
    const lastBatch = transport.sent.at(-1)!;
    expect(lastBatch.context.dropped).toEqual({ queue_overflow: 2, too_old: 2 });
    expect(tags(lastBatch)).toEqual(['session_end', 'session_start', 'step_view']);
    expect(await queueStore.list()).toEqual([]);
  });

  it('delivers what an earlier page left in the store, oldest first, on start', async () => {
    const queueStore = createMemoryQueueStore();
    const mk = (key: string, createdAt: number) => ({ key, body: JSON.stringify({ n: key }), count: 1, createdAt, attempts: 1, notBefore: 0 });
    await queueStore.put(mk('b', Date.now() - 1000));
    await queueStore.put(mk('a', Date.now() - 2000));
    const transport = recorder();
    createTracker({ ...base, platform: platform({ transport, queueStore }) });
    await tick();
    expect(transport.bodies.slice(0, 2)).toEqual(['{"n":"b"}', '{"n":"a"}']); // memory store keeps insertion order
    expect(await queueStore.list()).toEqual([]);
  });

  it('falls back to memory when the queue store throws, and keeps delivering', async () => {
    const broken: QueueStore = {
      put: () => Promise.reject(new Error('QuotaExceeded')),
      list: () => Promise.reject(new Error('InvalidState')),
      remove: () => {
        throw new Error('sync throw');
      },
    };
    const transport = recorder([retry()]);
    const t = createTracker({ ...base, platform: platform({ transport, queueStore: broken }) });
    t.track('step_view', { stepKey: 'a' });
    await t.flush();
    await tick(3000);
    expect(transport.sent).toHaveLength(2);
    expect(transport.bodies[1]).toBe(transport.bodies[0]);
  });

  it('drains the shared queue only while holding the lock; what waits stays stored for the next drain', async () => {
    let held = true;
    const withLock = async <T,>(_: string, fn: () => Promise<T>) => (held ? undefined : fn());
    const transport = recorder();
    const t = createTracker({ ...base, platform: platform({ transport, withLock }) });
    t.track('step_view', { stepKey: 'a' });
    await t.flush();
    expect(transport.sent).toHaveLength(0);
    held = false;
    t.track('step_view', { stepKey: 'b' });
    await t.flush();
    expect(transport.sent.map(tags)).toEqual([['session_start', 'step_view'], ['step_view']]);
  });
});
