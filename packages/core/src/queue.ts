import type { Body } from './batch';
import type { ResolvedOptions } from './options';
import type { DropReason, Platform, QueueStore, QueuedBatch, SendResult } from './types';
import { uuid } from './ids';
import { createMemoryQueueStore } from './store/memory';

/** Sends one body; the tracker serialises calls (one request in flight). */
export type Send = (b: Body) => Promise<SendResult>;


/**
 * The durable retry queue. Batches wait in the platform's store (IndexedDB in browsers) and
 * leave it only once the collector acknowledged them (or refused them for good). Retried oldest
 * first, with exponential backoff and jitter, never before a Retry-After. When the store throws
 * the queue continues in memory.
 */
export function createRetryQueue(
  o: ResolvedOptions,
  send: Send,
  drop: (count: number, reason: DropReason, lost?: 1) => void,
  /** runs a drain later, through the tracker's one-request-in-flight chain */
  later: () => void,
) {
  const { now, timers, withLock } = o.platform as Required<Platform>;
  const mem = createMemoryQueueStore();
  let qs = o.platform.queueStore || mem;
  let until = 0; // the collector asked for silence (Retry-After) until then
  let timer: unknown;

  const q = async <T>(f: (s: QueueStore) => Promise<T>): Promise<T> => {
    try {
      return await f(qs);
    } catch {
      return f((qs = mem));
    }
  };

  /** When to try again after `n` attempts: 1 s, 2 s, 4 s … 5 min, jittered, but never before Retry-After. */
  const next = (n: number, r: SendResult) => {
    const t = now();
    const ra = Math.min((r as { retryAfterMs?: number }).retryAfterMs || 0, 36e5);
    if (ra) until = Math.max(until, t + ra);
    return t + Math.max(ra, Math.min(3e5, 500 * 2 ** n) * (1 + Math.random()));
  };

  const schedule = (t: number) => {
    timers.clearTimeout(timer);
    timer = timers.setTimeout(later, t - now());
  };

  /** Stores a batch; the next drain sends it. */
  async function add(b: Body) {
    const t = now();
    const item: QueuedBatch = {
      ...b,
      // a UUID v7: unique across tabs, and keys sort by creation time (IndexedDB lists in key order)
      key: uuid(),
      createdAt: t,
      attempts: 0,
      notBefore: t,
    };
    await q((s) => s.put(item));
    schedule(t);
  }

  async function run(force?: boolean) {
    const list = await q((s) => s.list());
    const t = now();
    let over = list.length - o.maxQueuedBatches;
    for (const b of list) {
      // too many or too old: drop the oldest, and count them for `context.dropped`
      const old = t - b.createdAt > o.maxQueueAge;
      if (over-- > 0 || old) {
        await q((s) => s.remove(b.key));
        drop(b.count, old ? 'expired' : 'queue_overflow', 1);
        continue;
      }
      const due = Math.max(until, force ? 0 : b.notBefore);
      if (due > now()) return schedule(due);
      const r = await send(b);
      if (r.status == 'retryable') {
        b.notBefore = next(++b.attempts, r);
        await q((s) => s.put(b));
        return schedule(b.notBefore);
      }
      await q((s) => s.remove(b.key));
    }
  }

  return {
    add,
    /**
     * Sends what is due, oldest first (`force`: ignore backoff, not Retry-After). With
     * `withLock`, one tab at a time drains the shared queue; a tab that finds it taken skips
     * (the batches are stored: the tab holding the lock, or this one at its next flush, sends them).
     */
    drain: (force?: boolean) => (withLock ? withLock('wm_queue', () => run(force)) : run(force)),
    /** Forgets every stored batch (an opt-out). */
    forget: () => q(async (s) => {
      for (const b of await s.list()) await s.remove(b.key);
    }),
    stop() {
      timers.clearTimeout(timer);
    },
  };
}
