/**
 * The Node delivery queue. Every batch the core flushes is written here first (to the spool when
 * one is configured), then sent oldest first, one request at a time; a batch leaves only when the
 * collector acknowledged it (or rejected it for good). Retryable failures wait with exponential
 * backoff, honouring Retry-After. This write-ahead order is what makes a crash lose nothing.
 */
import type { DropReason, QueuedBatch, QueueStore, SendResult } from '@waymark/core';
import { BACKOFF_DEFAULTS, retryDelay, type BackoffOptions } from './backoff';

/** Timer functions of the queue: background timers are unref'd, awaited ones are not. */
export interface OutboxTimers {
  setTimeout(fn: () => void, ms: number, keepAlive: boolean): unknown;
  clearTimeout(handle: unknown): void;
}

export interface OutboxOptions {
  send: (body: string) => Promise<SendResult>;
  /** durable store (the spool); without one, batches live in memory only */
  store?: QueueStore;
  /** most batches kept; the oldest is dropped beyond it */
  maxBatches: number;
  /** oldest age (ms) of a kept batch */
  maxAge: number;
  backoff?: BackoffOptions;
  timers: OutboxTimers;
  now: () => number;
  log?: (message: string) => void;
  onDrop?: (count: number, reason: DropReason) => void;
  onSend?: (count: number, result: SendResult) => void;
}

export interface Outbox {
  /** Writes a batch (durably when a spool is set) and starts sending in the background. */
  enqueue(body: string, count: number): Promise<void>;
  /** One pass: sends every batch that is due now, oldest first; resolves when the pass is over. */
  flush(): Promise<void>;
  /** Keeps sending (waiting out backoff) until the queue is empty or `timeoutMs` passed; resolves to the events left. */
  drain(timeoutMs: number): Promise<number>;
  readonly pendingBatches: number;
  readonly pendingEvents: number;
  /** Stops the background timer; what is queued stays in the spool for the next process. */
  close(): void;
}

let seq = 0;
/** Sortable by creation across processes: base-36 time, then a per-process sequence. */
function newKey(now: number): string {
  const rand = Math.random().toString(36).slice(2, 8).padEnd(6, '0');
  return `${now.toString(36).padStart(9, '0')}-${(seq++ % 36 ** 6).toString(36).padStart(6, '0')}-${rand}`;
}

/** Adds the events dropped so far to the batch context, so the collector can report them. */
function withDropped(body: string, dropped: number): string {
  if (dropped <= 0) return body;
  try {
    const batch = JSON.parse(body) as { context?: { dropped?: number } };
    if (!batch.context) return body;
    batch.context.dropped = (batch.context.dropped ?? 0) + dropped;
    return JSON.stringify(batch);
  } catch {
    return body;
  }
}

export function createOutbox(options: OutboxOptions): Outbox {
  const { send, store, maxBatches, maxAge, timers, now, log, onDrop, onSend } = options;
  const backoff = { ...BACKOFF_DEFAULTS, ...options.backoff };
  const queue: QueuedBatch[] = [];
  let dropped = 0;
  let pass: Promise<void> | null = null;
  let timer: unknown;
  let closed = false;

  const persist = (what: string, p: Promise<void> | undefined) =>
    p?.catch((err: unknown) => log?.(`spool ${what} failed, batch kept in memory: ${(err as Error)?.message}`));

  // Batches left by an earlier process come first: they are older than anything enqueued now.
  const loaded: Promise<void> = (store ? store.list() : Promise.resolve([]))
    .then((old) => {
      const known = new Set(queue.map((b) => b.key));
      queue.unshift(...old.filter((b) => !known.has(b.key)).map((b) => ({ ...b, attempts: 0, notBefore: 0 })));
      if (old.length) log?.(`Resuming ${old.length} spooled batches`);
    })
    .catch((err: unknown) => log?.(`spool could not be read: ${(err as Error)?.message}`));

  function drop(index: number, reason: DropReason): void {
    const [batch] = queue.splice(index, 1);
    if (!batch) return;
    if (reason !== 'rejected') dropped += batch.count;
    onDrop?.(batch.count, reason);
    void persist('remove', store?.remove(batch.key));
  }

  function expire(): void {
    const oldest = now() - maxAge;
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.createdAt < oldest) drop(i, 'expired');
  }

  async function sendHead(batch: QueuedBatch): Promise<boolean> {
    const reported = dropped;
    const result = await send(withDropped(batch.body, reported));
    onSend?.(batch.count, result);
    if (result.status === 'retryable') {
      batch.attempts++;
      batch.notBefore = now() + retryDelay(batch.attempts, result.retryAfterMs, backoff);
      log?.(`Batch of ${batch.count} events not delivered (${result.reason}); retry #${batch.attempts} in ${batch.notBefore - now()} ms`);
      return false;
    }
    const index = queue.indexOf(batch);
    if (result.status === 'delivered') {
      dropped -= reported;
      if (index >= 0) queue.splice(index, 1);
      await persist('remove', store?.remove(batch.key));
    } else {
      log?.(`Batch of ${batch.count} events rejected (${result.reason}); dropped`);
      if (index >= 0) drop(index, 'rejected');
    }
    return true;
  }

  async function runPass(): Promise<void> {
    await loaded;
    expire();
    // Head of line: while the oldest batch waits, the collector is most likely still unavailable,
    // and sending newer batches first would reorder events.
    while (queue.length && queue[0]!.notBefore <= now() && !closed) {
      if (!(await sendHead(queue[0]!))) break;
    }
    schedule();
  }

  function schedule(): void {
    timers.clearTimeout(timer);
    timer = undefined;
    if (closed || !queue.length) return;
    const wait = Math.max(0, queue[0]!.notBefore - now());
    timer = timers.setTimeout(() => void kick(), wait, false);
  }

  function kick(): Promise<void> {
    if (!pass) {
      pass = runPass().finally(() => {
        pass = null;
      });
    }
    return pass;
  }

  async function flush(): Promise<void> {
    // A pass already running may have passed over batches enqueued after it looked: run another.
    if (pass) await pass;
    await kick();
  }

  return {
    async enqueue(body, count) {
      await loaded;
      while (queue.length >= maxBatches) drop(0, 'queue_overflow');
      const batch: QueuedBatch = { key: newKey(now()), body, count, createdAt: now(), attempts: 0, notBefore: 0 };
      queue.push(batch);
      await persist('write', store?.put(batch));
      void kick();
    },
    flush,
    async drain(timeoutMs) {
      const deadline = now() + timeoutMs;
      await flush();
      while (queue.length && now() < deadline) {
        const until = Math.min(queue[0]!.notBefore, deadline) - now();
        // A ref'd timer: the caller awaits this, so the process must stay alive for it.
        if (until > 0) await new Promise<void>((resolve) => timers.setTimeout(resolve, until, true));
        if (now() >= deadline && queue[0] && queue[0].notBefore > now()) break;
        await flush();
      }
      return queue.reduce((n, b) => n + b.count, 0);
    },
    get pendingBatches() {
      return queue.length;
    },
    get pendingEvents() {
      return queue.reduce((n, b) => n + b.count, 0);
    },
    close() {
      closed = true;
      timers.clearTimeout(timer);
    },
  };
}
