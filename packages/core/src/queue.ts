import type { Body } from './batch';
import type { ResolvedOptions } from './options';
import type { DropReason, Platform, QueueStore, QueuedBatch, SendResult } from './types';
import { retryDelay } from './backoff';
import { toBodies } from './batch';
import { uuid } from './ids';
import { createMemoryQueueStore } from './store/memory';

/** Sends one body and reports its outcome; never rejects. */
export type Send = (b: Body, beacon?: boolean) => Promise<SendResult>;

/**
 * The durable queue: a wrapper around the platform's transport over its store (IndexedDB in
 * browsers, the spool in Node, memory as fallback). Every batch is written to the store before
 * the first request that follows, and leaves it only once the collector acknowledged it or
 * refused it for good (a 413 splits it in place). Sent oldest first, one request at a time, retried
 * with {@link retryDelay}. The cap (`maxQueuedBatches`) applies only while the oldest batch is failing:
 * it bounds an outage's backlog, never a healthy send path. When the store throws, the queue
 * continues in memory.
 */
export function createQueue(o: ResolvedOptions, send: Send, drop: (count: number, reason: DropReason, lost?: 0 | 1, why?: string) => void) {
  const { now, timers, withLock } = o.platform as Required<Platform>;
  const mem = createMemoryQueueStore();
  let qs = o.platform.queueStore || mem;
  let until = 0; // the collector asked for silence (Retry-After) until then
  let timer: unknown;
  let writes: Promise<unknown> = Promise.resolve();
  let chain = writes;
  // batches this page or process stored and the collector has not acknowledged: page hide sends them by beacon
  const mine = new Map<string, QueuedBatch>();

  const q = async <T>(f: (s: QueueStore) => Promise<T>): Promise<T> => {
    try {
      return await f(qs);
    } catch {
      return f((qs = mem));
    }
  };
  const put = (b: QueuedBatch) => q((s) => s.put(b));
  const remove = (b: QueuedBatch) => (mine.delete(b.key), q((s) => s.remove(b.key)));

  const schedule = (t: number) => {
    timers.clearTimeout(timer);
    timer = timers.setTimeout(drain, t - now());
  };

  const add1 = (b: QueuedBatch) => (mine.set(b.key, b), b);

  /** Stores batches; the next drain starts only once all of them are stored. */
  function add(bs: Body[], t = now()) {
    // keys are UUID v7s: unique across tabs and processes, sorted by creation (stores list in key order)
    const w = Promise.all(bs.map((b) => put(add1({ ...b, key: uuid(), createdAt: t, attempts: 0, notBefore: t }))));
    writes = Promise.all([writes, w]);
    return w;
  }

  /** A 413: the batch goes back to the store in parts, in its place (their keys sort where it did). */
  async function split(b: QueuedBatch) {
    const { context, events } = JSON.parse(b.body);
    if (!events[1]) return remove(b), drop(1, 'rejected');
    await Promise.all(toBodies(events, b.body.length / 2, context).map((h, k) => put(add1({ ...b, ...h, key: b.key + k }))));
    await remove(b);
  }

  async function run(force?: boolean): Promise<unknown> {
    await writes;
    const list = await q((s) => s.list());
    list.forEach(add1);
    const t = now();
    let over = list[0] && list[0].attempts ? list.length - o.maxQueuedBatches : 0;
    for (const b of list) {
      const old = t - b.createdAt > o.maxQueueAge;
      if (over-- > 0 || old) {
        await remove(b);
        drop(b.count, old ? 'too_old' : 'queue_overflow', 1);
        continue;
      }
      if (Math.max(until, force ? 0 : b.notBefore) > now()) return schedule(Math.max(until, force ? 0 : b.notBefore));
      const r = await send(b);
      if (r.status == 'retryable') {
        const ra = r.retryAfterMs || 0;
        if (ra) until = Math.max(until, now() + ra);
        b.notBefore = now() + retryDelay(++b.attempts, ra);
        await put(b);
        return schedule(b.notBefore);
      }
      if ((r as { code?: number }).code == 413) return split(b).then(() => run(force));
      await remove(b);
      if (r.status == 'rejected') drop(b.count, 'rejected', 0, r.reason);
    }
  }

  let queued: Promise<unknown> | undefined;
  let runs = 0;
  // one run at a time; calls while one waits share it (it reads the store when it starts)
  function drain(force?: boolean) {
    return (queued ||= (runs++, (chain = chain
      .then(() => ((queued = undefined), withLock ? withLock('wm_queue', () => run(force)) : run(force)))
      .catch(() => {})
      .then(() => void runs--))));
  }

  return {
    add,
    drain,
    /**
     * Page hide: what this page stored and that is not acknowledged yet goes by beacon too, also
     * a request still in flight (the collector drops the duplicate by event id). It stays in the
     * store: a beacon is never acknowledged, and a batch already failing is left to the retries.
     */
    hide() {
      mine.forEach((b) => b.attempts || send(b, true));
    },
    /** Forgets every stored batch (opt-out). */
    clear: () => (mine.clear(), q((s) => s.list()).then((l) => Promise.all(l.map(remove)))),
    /** A send is queued or under way: the tracker lets the buffer grow to a full batch meanwhile. */
    get busy() {
      return runs > 0;
    },
    /** Events stored and not yet acknowledged by this page or process. */
    get pending() {
      let n = 0;
      mine.forEach((b) => (n += b.count));
      return n;
    },
    stop() {
      timers.clearTimeout(timer);
    },
  };
}
