/**
 * The in-process outbox processor: runs right after each commit (coalesced: one run drains
 * everything committed meanwhile, so many batches share one transaction), polls as a safety
 * net, and retries after a store error. Counting is exact because the store deletes claimed
 * outbox rows in the same transaction that applies their counters.
 */
import type { Logger } from 'pino';
import { aggregate } from './rollups/aggregate';
import type { Store } from './store/types';

export interface ProcessorOptions {
  store: Store;
  logger: Logger;
  /** outbox rows per transaction (default 2000) */
  batchSize?: number;
  /** safety-net poll interval, ms (default 5000); picks up rows left by a crash */
  pollMs?: number;
}

export interface Processor {
  /** asks for a run soon (after the current tick); cheap to call after every commit */
  schedule(): void;
  /** resolves once the outbox is empty (rejects if the store fails) */
  drain(): Promise<void>;
  /** stops scheduling, then drains what is left */
  stop(): Promise<void>;
}

export function createProcessor(opts: ProcessorOptions): Processor {
  const batchSize = opts.batchSize ?? 2000;
  let running: Promise<void> | undefined;
  let scheduled = false;
  let again = false;
  let stopped = false;

  const runOnce = async () => {
    for (;;) {
      again = false;
      const n = await opts.store.processOutbox(batchSize, aggregate);
      if (n < batchSize && !again) return;
    }
  };
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
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

  return {
    schedule() {
      if (scheduled || stopped) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        run().catch(() => {});
      });
    },
    async drain() {
      if (running) await running.catch(() => {});
      await run();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running) await running.catch(() => {});
      await run();
    },
  };
}
