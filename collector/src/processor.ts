/**
 * The outbox processor, started with the collector. It runs shortly after a commit, coalesced: the
 * first commit arms a short timer (`coalesceMs`) and the run then claims everything committed
 * meanwhile, so the counters of many batches are summed in memory and applied with few statements
 * in one transaction instead of one processor transaction per request. It also polls as a safety
 * net. An event that cannot be applied goes to the dead letters inside the store's claim
 * (`store/isolate.ts`) instead of failing the run; a run that fails (a transient store error) is
 * retried with exponential backoff, and automatic runs wait for it (`processor-health.ts`).
 * Counting is exact because the store deletes the claimed outbox rows in the same transaction
 * that applies their counters.
 *
 * Two modes: `inline` (on the request thread; any store) and `worker` (a worker thread with its own
 * SQLite connection, so aggregation never delays a request).
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { aggregate } from './rollups/aggregate';
import type { Store } from './store/types';
import type { FromWorker, ToWorker, WorkerInit } from './processor-worker';
import { createRunTracker, type ProcessorHealth } from './processor-health';

export interface ProcessorOptions {
  store: Store;
  logger: Logger;
  /** outbox rows per transaction (default 2000) */
  batchSize?: number;
  /** safety-net poll interval, ms (default 5000); picks up rows left by a crash */
  pollMs?: number;
  /**
   * how long a run waits after the first commit that asks for it, ms (default 50): batches committed
   * meanwhile share its transaction. `drain()` and `stop()` never wait for it.
   */
  coalesceMs?: number;
  /** run in a worker thread on this SQLite file (the store's own file) */
  worker?: { filename: string; synchronous: 'NORMAL' | 'FULL' };
}

export interface Processor {
  /** asks for a run soon; cheap to call after every commit */
  schedule(): void;
  /** resolves once everything committed before the call is counted (rejects if the store fails) */
  drain(): Promise<void>;
  /** stops scheduling, then drains what is left */
  stop(): Promise<void>;
  /** how the loop is doing (`/health`); undefined when this process runs no processor */
  health(): ProcessorHealth | undefined;
}

export function createProcessor(opts: ProcessorOptions): Processor {
  return opts.worker ? workerProcessor(opts, opts.worker) : inlineProcessor(opts);
}

/** Calls `fn` once, `ms` after the first of any number of `arm()` calls; `cancel()` drops a pending call. */
function debounce(ms: number, fn: () => void): { arm(): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    arm() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        fn();
      }, ms);
      // a pending run never keeps the process alive: stop() drains what it would have counted
      timer.unref();
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

function inlineProcessor(opts: ProcessorOptions): Processor {
  const batchSize = opts.batchSize ?? 2000;
  const tracker = createRunTracker();
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const runOnce = async () => {
    for (;;) {
      again = false;
      const n = await opts.store.processOutbox(batchSize, aggregate);
      if (n < batchSize && !again) return;
      // a backlog is worked off claim by claim with requests in between: an embedded (synchronous)
      // store would otherwise hold the event loop until the outbox is empty
      await new Promise((r) => setImmediate(r));
    }
  };
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running.then(() => run());
    }
    running = runOnce()
      .then(
        () => tracker.succeeded(),
        (err) => {
          const wait = tracker.failed(err);
          opts.logger.error({ err, retryInMs: wait }, 'processor run failed; retrying with backoff');
          clearTimeout(retry);
          retry = setTimeout(() => !stopped && run().catch(() => {}), wait);
          retry.unref();
          throw err;
        },
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  // automatic runs (poll, schedule) wait while backing off; drain() and stop() never do
  const automatic = () => {
    if (!stopped && tracker.waitMs() === 0) run().catch(() => {});
  };
  const timer = setInterval(automatic, opts.pollMs ?? 5000);
  timer.unref();
  const soon = debounce(opts.coalesceMs ?? 50, automatic);

  return {
    schedule() {
      if (!stopped) soon.arm();
    },
    drain: () => run(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(retry);
      soon.cancel();
      await run();
    },
    health: () => tracker.health(),
  };
}

/**
 * The worker's module next to this one: `.js`/`.cjs` when built; from source (`.ts`, tests and
 * `tsx`) a small bootstrap registers tsx in the worker first (workers do not inherit loader hooks).
 */
function spawnWorker(workerData: WorkerInit): Worker {
  const self = fileURLToPath(import.meta.url);
  const ext = extname(self);
  for (const rel of [`./processor-worker${ext}`, `../processor-worker${ext}`]) {
    const url = new URL(rel, import.meta.url);
    if (!existsSync(url)) continue;
    if (ext !== '.ts') return new Worker(url, { workerData });
    const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    const tsx = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
    return new Worker(boot, { eval: true, workerData });
  }
  throw new Error(`processor worker module not found next to ${self}`);
}

function workerProcessor(opts: ProcessorOptions, db: NonNullable<ProcessorOptions['worker']>): Processor {
  const init: WorkerInit = { filename: db.filename, synchronous: db.synchronous, batchSize: opts.batchSize ?? 2000, pollMs: opts.pollMs ?? 5000 };
  const worker = spawnWorker(init);
  worker.unref();
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let ids = 0;
  let stopped: Promise<void> | undefined;
  let dead: Error | undefined;
  // if the worker dies, the request thread takes over: counting goes on, only slower
  let fallback: Processor | undefined;
  let health: ProcessorHealth | undefined;
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'health') {
      if (m.health.consecutiveFailures > 0) opts.logger.error({ err: m.health.lastError }, 'processor run failed; retrying with backoff');
      health = m.health;
      return;
    }
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) w?.reject(new Error(m.error));
    else w?.resolve();
  });
  const fail = (err: Error) => {
    if (dead) return;
    dead = err;
    opts.logger.error({ err }, 'processor worker stopped; processing continues on the request thread');
    fallback = inlineProcessor(opts);
    for (const w of waiting.values()) fallback.drain().then(w.resolve, w.reject);
    waiting.clear();
  };
  worker.on('error', fail);
  // terminate() after a clean stop exits with code 1: only an exit before stop() is a failure
  worker.on('exit', (code) => !stopped && fail(new Error(`processor worker exited with ${code}`)));
  const soon = debounce(opts.coalesceMs ?? 50, () => {
    if (!stopped && !fallback) worker.postMessage({ type: 'kick' } satisfies ToWorker);
  });
  const call = (type: 'drain' | 'stop') =>
    new Promise<void>((resolve, reject) => {
      if (fallback) return (type === 'stop' ? fallback.stop() : fallback.drain()).then(resolve, reject);
      const id = ++ids;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ type, id } satisfies ToWorker);
    });
  return {
    schedule() {
      if (fallback) return fallback.schedule();
      if (!stopped) soon.arm();
    },
    drain: () => call('drain'),
    stop() {
      soon.cancel();
      stopped ??= call('stop').finally(() => worker.terminate());
      return stopped;
    },
    health: () => (fallback ? fallback.health() : health ?? { consecutiveFailures: 0, failingSince: null, lastError: null, lastSuccessAt: null }),
  };
}
