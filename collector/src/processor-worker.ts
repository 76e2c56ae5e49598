/**
 * The processor in a worker thread (SQLite files): its own connection, so aggregation and counter
 * writes run beside the request thread instead of on it. Messages from the main thread are
 * handled in order: `kick` (new commits), `drain` (reply once the outbox is empty), `stop`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { aggregate } from './rollups/aggregate';
import { createSqliteStore } from './store/sqlite/index';
import { createRunTracker, type ProcessorHealth } from './processor-health';

export interface WorkerInit {
  filename: string;
  synchronous: 'NORMAL' | 'FULL';
  batchSize: number;
  pollMs: number;
}
export type ToWorker = { type: 'kick' } | { type: 'drain'; id: number } | { type: 'stop'; id: number };
export type FromWorker = { type: 'done'; id: number; error?: string } | { type: 'health'; health: ProcessorHealth };

const init = workerData as WorkerInit;
const store = createSqliteStore({ filename: init.filename, synchronous: init.synchronous });
const port = parentPort!;
let chain: Promise<void> = Promise.resolve();
let kicked = false;
const tracker = createRunTracker();
let retry: NodeJS.Timeout | undefined;

let lastCheckpoint = 0;
async function processAll(): Promise<void> {
  try {
    while ((await store.processOutbox(init.batchSize, aggregate)) > 0) {
      // keep going until the outbox is empty
    }
    const wasFailing = tracker.health().consecutiveFailures > 0;
    tracker.succeeded();
    if (wasFailing) port.postMessage({ type: 'health', health: tracker.health() } satisfies FromWorker);
  } catch (err) {
    // back off: automatic runs wait, then one retries
    const wait = tracker.failed(err);
    port.postMessage({ type: 'health', health: tracker.health() } satisfies FromWorker);
    clearTimeout(retry);
    retry = setTimeout(() => port.emit('message', { type: 'kick' }), wait);
    throw err;
  }
  // the request connection does not checkpoint (wal_autocheckpoint = 0): this thread does it
  if (Date.now() - lastCheckpoint > 1000) {
    lastCheckpoint = Date.now();
    store.checkpoint();
  }
}
const enqueue = (fn: () => Promise<void>) => (chain = chain.then(fn, fn));

port.on('message', (m: ToWorker) => {
  if (m.type === 'kick') {
    // one pending run covers every commit before it starts; while backing off the retry timer runs
    if (kicked || tracker.waitMs() > 0) return;
    kicked = true;
    enqueue(async () => {
      kicked = false;
      await processAll().catch(() => {}); // reported as health
    });
    return;
  }
  enqueue(async () => {
    let error: string | undefined;
    await processAll().catch((e: Error) => (error = e.message));
    if (m.type === 'stop') {
      clearInterval(timer);
      clearTimeout(retry);
      await store.close();
    }
    port.postMessage({ type: 'done', id: m.id, error } satisfies FromWorker);
  });
});

const timer = setInterval(() => port.emit('message', { type: 'kick' }), init.pollMs);
