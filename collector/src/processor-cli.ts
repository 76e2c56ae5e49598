/**
 * `waymark-collector processor`: the outbox processor on its own, for deployments where collector
 * processes only write (`start --no-processor`) and any number of processor processes count.
 * On PostgreSQL the claims use `FOR UPDATE SKIP LOCKED`, so processors never wait for each other.
 * SIGTERM / SIGINT: finish the claim in flight, close the store, exit 0.
 */
import type { Logger } from 'pino';
import { aggregate } from './rollups/aggregate';
import type { Processor } from './processor';
import { createRunTracker } from './processor-health';
import type { Store } from './store/types';

/** Options of {@link runProcessor}. */
export interface StandaloneProcessorOptions {
  store: Store;
  logger: Logger;
  /** outbox rows per claim (default 2000) */
  batchSize?: number;
  /** wait when the outbox is empty, ms (default 200) */
  idleMs?: number;
  /** wait after a first store error, ms (default 1000), doubled for each further one up to a minute (with jitter) */
  retryMs?: number;
}

/** A running processor loop. */
export interface StandaloneProcessor {
  /** rows applied so far */
  readonly processed: number;
  /** stops after the claim in flight; resolves when the loop has ended */
  stop(): Promise<void>;
}

/** Claims and applies outbox rows until stopped; an empty outbox is polled every `idleMs`. */
export function runProcessor(opts: StandaloneProcessorOptions): StandaloneProcessor {
  const batchSize = opts.batchSize ?? 2000;
  const tracker = createRunTracker({ baseMs: opts.retryMs ?? 1000 });
  let stopped = false;
  let processed = 0;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  const loop = (async () => {
    while (!stopped) {
      try {
        const n = await opts.store.processOutbox(batchSize, aggregate);
        tracker.succeeded();
        processed += n;
        if (n === 0) await sleep(opts.idleMs ?? 200);
      } catch (err) {
        const wait = tracker.failed(err);
        opts.logger.error({ err, retryInMs: wait }, 'processor claim failed; retrying with backoff');
        await sleep(wait);
      }
    }
  })();
  return {
    get processed() {
      return processed;
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

/** The collector's processor when separate `processor` processes count: it never runs. */
export function createIdleProcessor(): Processor {
  return { schedule() {}, async drain() {}, async stop() {}, health: () => undefined };
}
