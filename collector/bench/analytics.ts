/**
 * Analytics benchmark (manual, not part of `npm test`): p50 / p95 / max of every analytics answer.
 *
 *   npx tsx collector/bench/analytics.ts                                        # SQLite, 10 million raw events
 *   WAYMARK_BENCH_EVENTS=1000000 npx tsx collector/bench/analytics.ts
 *   WAYMARK_BENCH_DB=/tmp/wm-bench/10m.db npx tsx collector/bench/analytics.ts   # keep / reuse the database
 *   WAYMARK_BENCH_PG=postgres://127.0.0.1:5432/wm_readmodel_bench WAYMARK_BENCH_EVENTS=1000000 npx tsx collector/bench/analytics.ts
 *
 * The data (90 days, 20 tours, 5 journeys, skewed so that tour_0 and "grant" are busy and tour_19
 * and "survey" quiet) goes through `store.append` and the processor (`analytics-generate.ts`), so
 * the read models are the ones the processor builds. Every answer is called through the function
 * its HTTP route calls, for 7 and 90 days, busy and quiet entities; the query plans of the reads
 * are printed (SQLite) to show they are primary-key ranges of the read models, not raw-event scans.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journeyAnalytics } from '../src/analytics/journeys';
import { overview } from '../src/analytics/overview';
import { resolveDay, resolveRange, type DateRange } from '../src/analytics/range';
import type { AnalyticsReader } from '../src/analytics/reader';
import { selectorDrilldown, selectorHealth } from '../src/analytics/selectors';
import { tourDaily, tourDetail, tourFunnel, tourHourly } from '../src/analytics/tours';
import { createSqliteStore, type SqliteStore } from '../src/store/sqlite/index';
import type { Store } from '../src/store/types';
import { END, ORG, generate } from './analytics-generate';

const N = Number(process.env.WAYMARK_BENCH_EVENTS ?? 10_000_000);
const pgUrl = process.env.WAYMARK_BENCH_PG;
const keep = process.env.WAYMARK_BENCH_DB;
const dir = keep || pgUrl ? undefined : mkdtempSync(join(tmpdir(), 'wm-bench-'));
let store: Store;
let reuse = false;
if (pgUrl) {
  const { createPostgresStore } = await import('../src/store/postgres/index');
  store = createPostgresStore({ url: pgUrl, max: 4 });
  await store.migrate();
  reuse = (await store.countEvents(ORG)) > 0;
} else {
  const file = keep ?? join(dir!, 'bench.db');
  reuse = !!keep && existsSync(file);
  store = createSqliteStore({ filename: file });
  await store.migrate();
}
if (!reuse) await generate(store, N, console.log);
// planner statistics, as autovacuum (off on some servers) or the post-load ANALYZE would gather them
if (store.engine === 'postgres') await (store as unknown as { pool: { query(s: string): Promise<unknown> } }).pool.query('ANALYZE');
const lite = store.engine === 'sqlite' ? (store as SqliteStore).db : undefined;
const rows = async (table: string) => {
  if (lite) return (lite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const { rows: r } = await (store as unknown as { pool: { query(s: string): Promise<{ rows: { n: number }[] }> } }).pool.query(`SELECT count(*)::int AS n FROM ${table}`);
  return r[0]!.n;
};
console.log(`${store.engine}: raw events ${(await store.countEvents(ORG)).toLocaleString('en')}, counters ${(await rows('counters')).toLocaleString('en')}, rm_entities ${(await rows('rm_entities')).toLocaleString('en')}, rm_sums ${(await rows('rm_sums')).toLocaleString('en')}, outbox ${await store.outboxBacklog()}`);

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const lastDay = Date.parse(day(END - 1));
const r90 = (tz?: string) => resolveRange({ date_from: day(lastDay - 89 * 86_400_000), date_to: day(lastDay), tz });
const r7 = (tz?: string) => resolveRange({ date_from: day(lastDay - 6 * 86_400_000), date_to: day(lastDay), tz });
const scope = { orgKey: ORG, env: 'prod' };
const reader: AnalyticsReader = store.analytics;

if (lite) {
  const plan = (sql: string, ...args: unknown[]) => (lite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((p) => p.detail).join(' | ');
  console.log(`plan, day sums: ${plan("SELECT * FROM rm_sums WHERE org = ? AND env = ? AND kind = ? AND content_id IN (?) AND metric IN (?, ?) AND gran = 'd' AND bucket >= ? AND bucket < ?", ORG, 'prod', 'tour', 'tour_0', 'starts', 'completions', 0, 1)}`);
  // quarter sums are pair columns of the day rows on SQLite (store/sqlite/quarter-columns.ts)
  console.log(`plan, quarter sums: ${plan("SELECT content_id, metric, bucket, dim, h44 FROM rm_sums WHERE org = ? AND env = ? AND kind = ? AND content_id IN (?) AND metric IN (?, ?) AND gran = 'd' AND bucket IN (?, ?)", ORG, 'prod', 'tour', 'tour_0', 'starts', 'completions', 0, 1)}`);
}

const results: string[] = [];
async function measure(name: string, runs: number, fn: () => Promise<unknown>): Promise<void> {
  await fn(); // warm: statement preparation, page cache
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  const at = (p: number) => t[Math.min(t.length - 1, Math.ceil(p * t.length) - 1)]!.toFixed(2);
  const line = `| ${name} | ${at(0.5)} | ${at(0.95)} | ${at(1)} |`;
  results.push(line);
  console.log(`${name.padEnd(58)} runs ${String(runs).padStart(4)}  p50 ${at(0.5).padStart(8)} ms  p95 ${at(0.95).padStart(8)} ms  max ${at(1).padStart(8)} ms`);
}

const runs = Number(process.env.WAYMARK_BENCH_RUNS ?? 100);
const windows: [string, (tz?: string) => DateRange][] = [['90 days', r90], ['7 days', r7]];
const big = (await tourDaily(reader, scope, 'tour_0', r90())).totals;
console.log(`tour_0 over 90 days: ${big.starts.toLocaleString('en')} starts, ${big.completion_rate} % completed`);
for (const [w, r] of windows) {
  for (const tour of ['tour_0', 'tour_19']) {
    await measure(`tour daily, ${w}, UTC (${tour})`, runs, () => tourDaily(reader, scope, tour, r()));
    await measure(`tour daily, ${w}, Europe/Paris (${tour})`, runs, () => tourDaily(reader, scope, tour, r('Europe/Paris')));
    await measure(`tour daily, ${w}, Asia/Kolkata (${tour})`, runs, () => tourDaily(reader, scope, tour, r('Asia/Kolkata')));
    await measure(`funnel, ${w} (${tour})`, runs, () => tourFunnel(reader, scope, tour, r()));
    await measure(`tour detail, ${w} (${tour})`, runs, () => tourDetail(reader, scope, tour, r()));
  }
  await measure(`overview, ${w}`, runs, () => overview(reader, scope, r(), 10));
  await measure(`overview, ${w}, Europe/Paris`, runs, () => overview(reader, scope, r('Europe/Paris'), 10));
  await measure(`selector health, ${w}`, runs, () => selectorHealth(reader, scope, r(), 50));
  await measure(`selector drill-down, ${w} (tour_0, 100 events)`, runs, () => selectorDrilldown(reader, scope, 'tour', 'tour_0', r(), 100));
  await measure(`selector drill-down, ${w} (tour_19, 100 events)`, runs, () => selectorDrilldown(reader, scope, 'tour', 'tour_19', r(), 100));
  for (const journey of ['grant', 'survey']) {
    await measure(`journey analytics, ${w}, UTC (${journey})`, runs, () => journeyAnalytics(reader, scope, journey, r()));
    await measure(`journey analytics, ${w}, Europe/Paris (${journey})`, runs, () => journeyAnalytics(reader, scope, journey, r('Europe/Paris')));
    await measure(`journey analytics, ${w}, Asia/Kolkata (${journey})`, runs, () => journeyAnalytics(reader, scope, journey, r('Asia/Kolkata')));
  }
}
const dayOf = resolveDay({ date: day(lastDay - 1) });
for (const tour of ['tour_0', 'tour_19']) {
  await measure(`tour hourly, one day, UTC (${tour})`, runs, () => tourHourly(reader, scope, tour, dayOf));
  await measure(`tour hourly, one day, Europe/Paris (${tour})`, runs, () => tourHourly(reader, scope, tour, resolveDay({ date: day(lastDay - 1), tz: 'Europe/Paris' })));
}
// activity feed: a busy user, a session, the busiest tour; first page and the page after it
const feedUser = (await reader.activity({ ...scope, by: 'content', contentKind: 'tour', contentId: 'tour_0', limit: 1 })).rows[0]!;
for (const [name, by] of [
  ['user', { by: 'user' as const, clientId: feedUser.client_id }],
  ['session', { by: 'session' as const, sessionId: feedUser.session_id }],
  ['content tour_0', { by: 'content' as const, contentKind: 'tour' as const, contentId: 'tour_0' }],
  ['content tour_19', { by: 'content' as const, contentKind: 'tour' as const, contentId: 'tour_19' }],
] as const) {
  await measure(`activity feed, ${name}, first page (50)`, runs, () => reader.activity({ ...scope, ...by, limit: 50 }));
  const first = await reader.activity({ ...scope, ...by, limit: 50 });
  if (first.next) await measure(`activity feed, ${name}, next page (50)`, runs, () => reader.activity({ ...scope, ...by, before: first.next, limit: 50 }));
}
console.log(`\n| answer (${store.engine}, ${(await store.countEvents(ORG)).toLocaleString('en')} raw events) | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n${results.join('\n')}`);

await store.close();
if (dir) rmSync(dir, { recursive: true, force: true });
