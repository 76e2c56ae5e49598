/**
 * The outbox processor, started with the collector. It runs shortly after a commit, coalesced: the
 * first commit arms a short timer (`coalesceMs`) and the run then claims everything committed
 * meanwhile, so the counters of many batches are summed in memory and applied with few statements
 * in one transaction instead of one processor transaction per request. It also polls as a safety
 * net and retries after a store error. Counting is exact because the store deletes the
 * claimed outbox rows in the same transaction that applies their counters.
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
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

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
      .catch((err) => {
        opts.logger.error({ err }, 'processor run failed; retrying later');
        throw err;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) run().catch(() => {});
  }, opts.pollMs ?? 5000);
  timer.unref();
  const soon = debounce(opts.coalesceMs ?? 50, () => {
    if (!stopped) run().catch(() => {});
  });

  return {
    schedule() {
      if (!stopped) soon.arm();
    },
    drain: () => run(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      soon.cancel();
      await run();
    },
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
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'error') return opts.logger.error({ err: m.error }, 'processor run failed; retrying later');
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
  };
}
