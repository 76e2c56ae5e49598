/**
 * Processor cost benchmark (manual): CPU time of the processor per event, appends excluded.
 *
 *   npx tsx collector/bench/processor.ts                              # SQLite, 300,000 events
 *   WAYMARK_BENCH_EVENTS=1000000 npx tsx collector/bench/processor.ts
 *   WAYMARK_BENCH_PG=postgres://127.0.0.1/wm_readmodel_bench npx tsx collector/bench/processor.ts
 *
 * Stores the simulated traffic of `analytics-events.ts` with `store.append` (as ingest does), as
 * dense in time as the analytics benchmark's (10 M events in 90 days; `WAYMARK_BENCH_DAYS` to change), then
 * times `processOutbox(2000, aggregate)` until the outbox is empty: process CPU time (user +
 * system) and wall time per event. It uses only what every version of the store has, so the same
 * file measures an older checkout (copy `bench/processor.ts` and `bench/analytics-events.ts`
 * there) for a before/after in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregate } from '../src/rollups/aggregate';
import { createSqliteStore } from '../src/store/sqlite/index';
import type { Store } from '../src/store/types';
import { batches } from './analytics-events';

const N = Number(process.env.WAYMARK_BENCH_EVENTS ?? 300_000);
const pgUrl = process.env.WAYMARK_BENCH_PG;
const dir = mkdtempSync(join(tmpdir(), 'wm-proc-bench-'));
let store: Store;
if (pgUrl) {
  const { createPostgresStore } = await import('../src/store/postgres/index');
  const schema = `bench_${process.pid}`;
  store = createPostgresStore({ url: pgUrl, schema } as never);
} else {
  store = createSqliteStore({ filename: join(dir, 'bench.db') });
}
await store.migrate();

let pending: Promise<unknown>[] = [];
let stored = 0;
// the density of the analytics benchmark (10 M events in 90 days): a claim holds about 25 minutes of traffic
const days = Number(process.env.WAYMARK_BENCH_DAYS ?? (N * 90) / 10_000_000);
for (const b of batches(N, { days })) {
  pending.push(store.append(b));
  stored += b.length;
  if (pending.length >= 100) {
    await Promise.all(pending);
    pending = [];
  }
}
await Promise.all(pending);

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let processed = 0;
for (;;) {
  const n = await store.processOutbox(2000, aggregate);
  processed += n;
  if (n === 0) break;
}
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const us = (cpu.user + cpu.system) / processed;
console.log(`processor ${store.engine}: ${processed.toLocaleString('en')} events (${stored.toLocaleString('en')} stored), CPU ${us.toFixed(2)} µs/event (user ${(cpu.user / processed).toFixed(2)}), wall ${((wall * 1000) / processed).toFixed(2)} µs/event, ${Math.round(processed / (wall / 1000)).toLocaleString('en')} events/s`);
await store.close();
rmSync(dir, { recursive: true, force: true });
