/**
 * Processor cost benchmark (manual): CPU time of the processor per event, appends excluded, with
 * and without the read models, measured side by side in the same run.
 *
 *   npx tsx collector/bench/processor.ts                              # SQLite, 300,000 events, 3 rounds
 *   WAYMARK_BENCH_EVENTS=1000000 WAYMARK_BENCH_ROUNDS=2 npx tsx collector/bench/processor.ts
 *   WAYMARK_BENCH_PG=postgres://postgres@127.0.0.1:5432/wm_readmodel_bench npx tsx collector/bench/processor.ts
 *   WAYMARK_BENCH_MODE=readmodels node --cpu-prof --import tsx collector/bench/processor.ts   # one mode only (profiling)
 *
 * Each round stores the simulated traffic of `analytics-events.ts` with `store.append` (as ingest
 * does) into two fresh stores, as dense in time as the analytics benchmark's (10 M events in 90
 * days; `WAYMARK_BENCH_DAYS` to change), then runs `processOutbox(2000, aggregate)` on them in
 * turns, one claim each (the first of the two alternating), until both outboxes are empty, and
 * adds up the process CPU time (user + system) of each one's claims. The baseline store runs the
 * same processor with `aggregate(…, { readModels: false })`: no read-model input, nothing for the
 * store to fold or write, and every `session_end` counted by the counters as the processor did
 * before read models existed. Claim by claim, a slow moment of the machine (this one's CPU time
 * varies by a third between identical runs) weighs on both alike, so the ratio is steadier than
 * the CPU times themselves.
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
// claims per store run before the clocks start: the JIT compiles the processor's code during the
// first claims (background TurboFan CPU, counted by process.cpuUsage), a cost a long-running
// processor pays once; 0 measures from the first claim
const WARMUP = Number(process.env.WAYMARK_BENCH_WARMUP ?? 20);
const MODE = process.env.WAYMARK_BENCH_MODE as Mode | undefined; // 'baseline' | 'readmodels' | undefined (both)
const pgUrl = process.env.WAYMARK_BENCH_PG;
// the density of the analytics benchmark (10 M events in 90 days): a claim holds about 25 minutes of traffic
const days = Number(process.env.WAYMARK_BENCH_DAYS ?? (N * 90) / 10_000_000);
const dir = mkdtempSync(join(process.env.WAYMARK_BENCH_DIR ?? tmpdir(), 'wm-proc-bench-'));

type Mode = 'baseline' | 'readmodels';
const modes: Record<Mode, Aggregator> = {
  baseline: (events, options) => aggregate(events, { ...options, readModels: false }),
  readmodels: aggregate,
};

interface Run {
  mode: Mode;
  store: Store;
  name: string;
  events: number;
  cpuUs: number;
  wallMs: number;
  done: boolean;
}

async function open(mode: Mode, i: number): Promise<Run> {
  const name = `bench_${process.pid}_${mode}_${i}`;
  let store: Store;
  if (pgUrl) {
    const { createPostgresStore } = await import('../src/store/postgres/index');
    store = createPostgresStore({ url: pgUrl, schema: name } as never);
  } else {
    store = createSqliteStore({ filename: join(dir, `${name}.db`) });
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
  return { mode, store, name, events: 0, cpuUs: 0, wallMs: 0, done: false };
}

async function claim(r: Run, counted = true): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const n = await r.store.processOutbox(2000, modes[r.mode]);
  if (n === 0) r.done = true;
  if (!counted) return;
  r.wallMs += performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  r.cpuUs += cpu.user + cpu.system;
  r.events += n;
}

async function close(r: Run): Promise<number> {
  const us = r.cpuUs / r.events;
  console.log(`${r.mode.padEnd(10)} ${r.store.engine}: ${r.events.toLocaleString('en')} events, CPU ${us.toFixed(2)} µs/event, wall ${((r.wallMs * 1000) / r.events).toFixed(2)} µs/event`);
  if (pgUrl) await (r.store as unknown as { pool?: { query(q: string): Promise<unknown> } }).pool?.query(`DROP SCHEMA IF EXISTS ${r.name} CASCADE`).catch(() => {});
  await r.store.close();
  rmSync(join(dir, `${r.name}.db`), { force: true });
  return us;
}

const results: Record<Mode, number[]> = { baseline: [], readmodels: [] };
for (let i = 0; i < ROUNDS; i++) {
  const runs: Run[] = [];
  for (const mode of ['baseline', 'readmodels'] as const) if (!MODE || MODE === mode) runs.push(await open(mode, i));
  // the append phase's garbage is not the processor's: collected before the clocks start (--expose-gc)
  (globalThis as { gc?: () => void }).gc?.();
  for (let turn = 0; runs.some((r) => !r.done); turn++) {
    const order = turn % 2 === 0 ? runs : [...runs].reverse();
    for (const r of order) if (!r.done) await claim(r, turn >= WARMUP);
  }
  for (const r of runs) results[r.mode].push(await close(r));
}
if (!MODE) {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratios = results.readmodels.map((r, i) => r / results.baseline[i]! - 1);
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)} %`;
  console.log(`read models cost per round: ${ratios.map(pct).join(', ')}; median ${pct(median(ratios))}; CPU medians ${median(results.baseline).toFixed(2)} → ${median(results.readmodels).toFixed(2)} µs/event`);
}
rmSync(dir, { recursive: true, force: true });
