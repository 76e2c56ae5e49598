/**
 * Processor cost benchmark (manual): CPU time of the processor per event, appends excluded, with
 * and without the read models, in alternating rounds of the same run.
 *
 *   npx tsx collector/bench/processor.ts                              # SQLite, 300,000 events, 3 rounds of each
 *   WAYMARK_BENCH_EVENTS=1000000 WAYMARK_BENCH_ROUNDS=2 npx tsx collector/bench/processor.ts
 *   WAYMARK_BENCH_PG=postgres://postgres@127.0.0.1:5432/wm_readmodel_bench npx tsx collector/bench/processor.ts
 *   WAYMARK_BENCH_MODE=readmodels node --cpu-prof --import tsx collector/bench/processor.ts   # one mode only (profiling)
 *
 * Each round stores the simulated traffic of `analytics-events.ts` with `store.append` (as ingest
 * does) into a fresh store, as dense in time as the analytics benchmark's (10 M events in 90 days;
 * `WAYMARK_BENCH_DAYS` to change), then times `processOutbox(2000, aggregate)` until the outbox is
 * empty: process CPU time (user + system) and wall time per event. The baseline round runs the
 * same processor with `aggregate(…, { readModels: false })`: no read-model input, nothing for the
 * store to fold or write, and every `session_end` counted by the counters as the processor did
 * before read models existed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregate } from '../src/rollups/aggregate';
import { createSqliteStore } from '../src/store/sqlite/index';
import type { Aggregator, Store } from '../src/store/types';
import { batches } from './analytics-events';

const N = Number(process.env.WAYMARK_BENCH_EVENTS ?? 300_000);
const ROUNDS = Number(process.env.WAYMARK_BENCH_ROUNDS ?? 3);
const MODE = process.env.WAYMARK_BENCH_MODE; // 'baseline' | 'readmodels' | undefined (both)
const pgUrl = process.env.WAYMARK_BENCH_PG;
// the density of the analytics benchmark (10 M events in 90 days): a claim holds about 25 minutes of traffic
const days = Number(process.env.WAYMARK_BENCH_DAYS ?? (N * 90) / 10_000_000);
const dir = mkdtempSync(join(process.env.WAYMARK_BENCH_DIR ?? tmpdir(), 'wm-proc-bench-'));

const modes: Record<'baseline' | 'readmodels', Aggregator> = {
  baseline: (events, options) => aggregate(events, { ...options, readModels: false }),
  readmodels: aggregate,
};

async function round(name: keyof typeof modes, i: number): Promise<number> {
  let store: Store;
  if (pgUrl) {
    const { createPostgresStore } = await import('../src/store/postgres/index');
    store = createPostgresStore({ url: pgUrl, schema: `bench_${process.pid}_${name}_${i}` } as never);
  } else {
    store = createSqliteStore({ filename: join(dir, `${name}-${i}.db`) });
  }
  await store.migrate();
  let pending: Promise<unknown>[] = [];
  for (const b of batches(N, { days })) {
    pending.push(store.append(b));
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
    const n = await store.processOutbox(2000, modes[name]);
    processed += n;
    if (n === 0) break;
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const us = (cpu.user + cpu.system) / processed;
  console.log(`${name.padEnd(10)} ${store.engine}: ${processed.toLocaleString('en')} events, CPU ${us.toFixed(2)} µs/event (user ${(cpu.user / processed).toFixed(2)}), wall ${((wall * 1000) / processed).toFixed(2)} µs/event`);
  if (pgUrl) await (store as unknown as { pool?: { query(q: string): Promise<unknown> } }).pool?.query(`DROP SCHEMA IF EXISTS bench_${process.pid}_${name}_${i} CASCADE`).catch(() => {});
  await store.close();
  rmSync(join(dir, `${name}-${i}.db`), { force: true });
  return us;
}

const results: Record<string, number[]> = { baseline: [], readmodels: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const name of ['baseline', 'readmodels'] as const) {
    if (MODE && MODE !== name) continue;
    results[name]!.push(await round(name, i));
  }
}
if (!MODE) {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratios = results.readmodels!.map((r, i) => `${((r / results.baseline![i]! - 1) * 100).toFixed(0)} %`);
  console.log(`read models cost per round: +${ratios.join(', +')}; medians ${median(results.baseline!).toFixed(2)} → ${median(results.readmodels!).toFixed(2)} µs/event (+${((median(results.readmodels!) / median(results.baseline!) - 1) * 100).toFixed(0)} %)`);
}
rmSync(dir, { recursive: true, force: true });
