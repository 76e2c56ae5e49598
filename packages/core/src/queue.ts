import type { Body } from './batch';
import type { ResolvedOptions } from './options';
import type { DropReason, Platform, QueueStore, QueuedBatch, SendResult } from './types';
import { retryDelay } from './backoff';
import { MAX_BYTES, MAX_EVENTS, merge, utf8Length } from './batch';
import { uuid } from './ids';
import { createMemoryQueueStore } from './store/memory';

/** Sends one body and reports its outcome; never rejects. */
export type Send = (b: Body, beacon?: boolean) => Promise<SendResult>;

/**
 * The durable queue: a wrapper around the platform's transport over its store (IndexedDB in
 * browsers, the spool in Node, memory as fallback). Every batch is written to the store before
 * the first request that follows, and leaves it only once the collector acknowledged it or
 * refused it for good. Sent oldest first, consecutive batches merged into requests the collector
 * takes (500 events, 1 MiB), so a burst is delivered in a few requests; retried with
 * {@link retryDelay}. The cap (`maxQueuedBatches`) applies only while the oldest batch is failing:
 * it bounds an outage's backlog, never a healthy send path. When the store throws, the queue
 * continues in memory.
 */
export function createQueue(o: ResolvedOptions, send: Send, drop: (count: number, reason: DropReason, lost?: 1) => void) {
  const { now, timers, withLock } = o.platform as Required<Platform>;
  const mem = createMemoryQueueStore();
  let qs = o.platform.queueStore || mem;
  let until = 0; // the collector asked for silence (Retry-After) until then
  let timer: unknown;
  let writes: Promise<unknown> = Promise.resolve();
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

  /** Stores batches; the next drain starts only once all of them are stored. */
  function add(bs: Body[], t = now()) {
    const w = Promise.all(
      bs.map((b) => {
        // a UUID v7: unique across tabs and processes, and keys sort by creation (stores list in key order)
        const item: QueuedBatch = { ...b, key: uuid(), createdAt: t, attempts: 0, notBefore: t };
        mine.set(item.key, item);
        return put(item);
      }),
    );
    writes = Promise.all([writes, w]);
    return w;
  }

  /** A 413: the batch goes back to the store as two halves, in its place (their keys sort where it did). */
  async function split(b: QueuedBatch) {
    const { context, events } = JSON.parse(b.body);
    const h = events.length >> 1;
    if (!h) return remove(b), drop(1, 'rejected');
    for (const k of [0, 1]) {
      const e = k ? events.slice(h) : events.slice(0, h);
      const c: QueuedBatch = { ...b, key: b.key + k, count: e.length, body: JSON.stringify({ schemaVersion: 1, context: k ? { ...context, dropped: undefined } : context, events: e }) };
      mine.set(c.key, c);
      await put(c);
    }
    await remove(b);
  }

  async function run(force?: boolean, alone?: 1): Promise<unknown> {
    await writes;
    const list = await q((s) => s.list());
    list.forEach((b) => mine.set(b.key, b));
    const t = now();
    let over = list[0] && list[0].attempts ? list.length - o.maxQueuedBatches : 0;
    for (let i = 0; i < list.length; ) {
      const b = list[i++]!;
      const old = t - b.createdAt > o.maxQueueAge;
      if (over-- > 0 || old) {
        await remove(b);
        drop(b.count, old ? 'too_old' : 'queue_overflow', 1);
        continue;
      }
      const due = Math.max(until, force ? 0 : b.notBefore);
      if (due > now()) return schedule(due);
      // consecutive batches with the same context go out as one request, within flushBytes (so
      // it keeps fetch's keepalive) and what the collector takes
      const group = [b];
      let body = b.body;
      let count = b.count;
      let size = utf8Length(body);
      for (let c, m; !alone && (c = list[i]) && count + c.count <= MAX_EVENTS && (m = merge(body, c.body)); i++) {
        const n = size + utf8Length(c.body) - body.length - c.body.length + m.length;
        if (n > Math.min(o.flushBytes, MAX_BYTES)) break;
        group.push(c), (body = m), (size = n), (count += c.count);
      }
      const r = await send({ body, count });
      if (r.status == 'retryable') {
        const ra = r.retryAfterMs || 0;
        if (ra) until = Math.max(until, now() + ra);
        for (const g of group) (g.notBefore = now() + retryDelay(++g.attempts, ra)), await put(g);
        return schedule(b.notBefore);
      }
      if (r.status == 'rejected' && (group[1] || r.code == 413)) {
        // refused as a whole: the parts are tried alone (a merge) or halved (a single batch)
        if (!group[1]) await split(b);
        return run(force, group[1] && 1);
      }
      for (const g of group) await remove(g);
      if (r.status == 'rejected') drop(count, 'rejected');
    }
  }

  /**
   * Sends what is due, oldest first (`force`: ignore backoff, not Retry-After). With `withLock`,
   * one tab at a time drains the shared queue; a tab that finds it taken skips (the batches are
   * stored: the tab holding the lock, or this one at its next flush, sends them).
   */
  let chain: Promise<unknown> = Promise.resolve();
  let queued: Promise<unknown> | undefined;
  let f: boolean | undefined;
  // one run at a time; calls while one waits share it (it reads the store when it starts)
  function drain(force?: boolean) {
    f ||= force;
    return (queued ||= chain = chain
      .then(() => {
        const x = f;
        queued = f = undefined;
        return withLock ? withLock('wm_queue', () => run(x)) : run(x);
      })
      .catch(() => {}));
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
    async clear() {
      mine.clear();
      for (const b of await q((s) => s.list())) await q((s) => s.remove(b.key));
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
