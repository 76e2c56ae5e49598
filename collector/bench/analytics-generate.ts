/**
 * Fills a store for the analytics benchmark through the collector's own write path: the simulated
 * batches of `analytics-events.ts` go through `store.append` (raw events + outbox, as ingest
 * writes them) and the processor (`createProcessor(...).drain()`, the real aggregation and apply
 * step), which builds counters and read models. Nothing is written to a read model directly.
 */
import { pino } from 'pino';
import { createProcessor } from '../src/processor';
import type { Store } from '../src/store/types';
import { batches } from './analytics-events';

export { DAYS, END, JOURNEYS, ORG, START, TOURS } from './analytics-events';

export async function generate(store: Store, total: number, log: (m: string) => void): Promise<void> {
  const processor = createProcessor({ store, logger: pino({ level: 'silent' }), pollMs: 3_600_000 });
  const started = performance.now();
  let pending: Promise<unknown>[] = [];
  let stored = 0;
  let reported = 0;
  for (const b of batches(total)) {
    pending.push(store.append(b));
    stored += b.length;
    if (pending.length < 200) continue;
    await Promise.all(pending);
    pending = [];
    // the processor keeps up as it would in production: the outbox never holds more than a few claims
    if ((await store.outboxBacklog()) > 20_000) await processor.drain();
    if (stored - reported >= 1_000_000) {
      reported = stored;
      log(`  ${stored.toLocaleString('en')} events stored and processed, ${Math.round(stored / ((performance.now() - started) / 1000)).toLocaleString('en')}/s`);
    }
  }
  await Promise.all(pending);
  await processor.stop();
  log(`generated ${stored.toLocaleString('en')} raw events through append + processor in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
