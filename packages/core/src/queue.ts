import type { Body } from './batch';
import type { DropReason, Platform, QueueStore, QueuedBatch, SendResult, Timers } from './types';
import { createMemoryQueueStore } from './store/memory';

/** What the retry queue needs from its tracker. */
export interface QueueDeps {
  store?: QueueStore;
  withLock?: Platform['withLock'];
  now: () => number;
  timers: Timers;
  max: number;
  maxAge: number;
  /** sends one body (the tracker serialises calls: one request in flight) */
  send: (b: Body) => Promise<SendResult>;
  /** runs a drain later, through the tracker's one-request-in-flight chain */
  later: () => void;
  drop: (count: number, reason: DropReason) => void;
}

const MAX_BACKOFF = 3e5;
const MAX_RETRY_AFTER = 36e5;
let seq = 0;

/**
 * The durable retry queue. Batches wait in the platform's store (IndexedDB in browsers) and
 * leave it only once the collector acknowledged them (or refused them for good). Retried oldest
 * first, with exponential backoff and jitter, never before a Retry-After. When the store throws
 * the queue continues in memory.
 */
export function createRetryQueue(d: QueueDeps) {
  const mem = createMemoryQueueStore();
  let qs = d.store || mem;
  let size = 0;
  let until = 0; // the collector asked for silence (Retry-After) until then
  let timer: unknown;
  let at = 0;

  const q = async <T>(f: (s: QueueStore) => Promise<T>): Promise<T> => {
    try {
      return await f(qs);
    } catch {
      qs = mem;
      return f(mem);
    }
  };

  const wait = (attempts: number, r: SendResult) => {
    const ra = r.status == 'retryable' && r.retryAfterMs != null ? Math.min(r.retryAfterMs, MAX_RETRY_AFTER) : 0;
    if (ra) until = Math.max(until, d.now() + ra);
    return Math.max(ra, Math.min(MAX_BACKOFF, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2));
  };

  const schedule = (t: number) => {
    if (timer != null && at <= t) return;
    if (timer != null) d.timers.clearTimeout(timer);
    at = t;
    timer = d.timers.setTimeout(() => {
      timer = undefined;
      d.later();
    }, Math.max(0, t - d.now()));
  };

  /** Keeps a batch that failed retryably with result `r` (or was never sent, when `r` is null). */
  async function add(b: Body, r: SendResult | null) {
    const t = d.now();
    const attempts = r ? 1 : 0;
    const item: QueuedBatch = {
      key: t.toString(36).padStart(9, '0') + '-' + (seq++ % 1296).toString(36).padStart(2, '0') + Math.random().toString(36).slice(2, 8),
      body: b.body,
      count: b.count,
      createdAt: t,
      attempts,
      notBefore: r ? t + wait(attempts, r) : t,
    };
    await q((s) => s.put(item));
    size++;
    if (size > d.max) await drain(false, true);
    else schedule(item.notBefore);
  }

  /** Drops what is too old or too many; true when the list changed. */
  async function trim(list: QueuedBatch[]) {
    const t = d.now();
    while (list.length && (list.length > d.max || t - list[0]!.createdAt > d.maxAge)) {
      const b = list.shift()!;
      await q((s) => s.remove(b.key));
      d.drop(b.count, t - b.createdAt > d.maxAge ? 'expired' : 'queue_overflow');
    }
  }

  async function run(force: boolean, trimOnly: boolean) {
    const list = await q((s) => s.list());
    await trim(list);
    size = list.length;
    if (trimOnly) return list.length && schedule(list[0]!.notBefore);
    while (list.length) {
      const b = list[0]!;
      const t = d.now();
      const due = Math.max(until, force ? 0 : b.notBefore);
      if (due > t) return schedule(due);
      const r = await d.send(b);
      if (r.status == 'retryable') {
        b.attempts++;
        b.notBefore = d.now() + wait(b.attempts, r);
        await q((s) => s.put(b));
        return schedule(b.notBefore);
      }
      await q((s) => s.remove(b.key));
      list.shift();
      size--;
    }
  }

  /**
   * Sends what is due, oldest first. With `withLock`, only one tab drains the shared queue at a
   * time; a tab that finds the lock taken looks again a little later.
   */
  async function drain(force = false, trimOnly = false) {
    const go = () => run(force, trimOnly).then(() => true);
    const ok = d.withLock ? await d.withLock('waymark-queue', go) : await go();
    if (!ok) schedule(d.now() + 5000);
  }

  return {
    add,
    drain,
    /** batches this tab knows to be queued */
    get size() {
      return size;
    },
    /** true while the collector's Retry-After is running */
    get blocked() {
      return until > d.now();
    },
    stop() {
      if (timer != null) d.timers.clearTimeout(timer);
      timer = undefined;
    },
  };
}
