/**
 * Analytics benchmark (manual, not part of `npm test`):
 *
 *   npx tsx collector/bench/analytics.ts                       # 10 million raw events
 *   WAYMARK_BENCH_EVENTS=1000000 npx tsx collector/bench/analytics.ts
 *   WAYMARK_BENCH_DB=/tmp/wm-bench.db npx tsx collector/bench/analytics.ts   # keep / reuse the database
 *   WAYMARK_BENCH_SKIP_SLOW=1 ...                                             # skip the 90-day raw-event reads
 *
 * Generates N raw events over 90 days (20 tours, 5 journeys, skewed so tour_0 and "grant" are the
 * busiest) straight into a SQLite store with the matching rollups, then measures p50/p95/max of
 * the analytics answers, called through the same functions the HTTP routes call. Prints the
 * query plan of the tour analytics read to show it reads the counters, not raw events.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journeyAnalytics } from '../src/analytics/journeys';
import { overview } from '../src/analytics/overview';
import { resolveRange } from '../src/analytics/range';
import { tourDaily, tourFunnel } from '../src/analytics/tours';
import { createSqliteStore } from '../src/store/sqlite/index';
import { END, ORG, generate } from './analytics-generate';

const N = Number(process.env.WAYMARK_BENCH_EVENTS ?? 10_000_000);
const keep = process.env.WAYMARK_BENCH_DB;
const dir = keep ? undefined : mkdtempSync(join(tmpdir(), 'wm-bench-'));
const file = keep ?? join(dir!, 'bench.db');
const reuse = !!keep && existsSync(file);
const store = createSqliteStore({ filename: file });
await store.migrate();
if (!reuse) await generate(store, N, console.log);
const stored = await store.countEvents(ORG);
console.log(`raw events stored: ${stored.toLocaleString('en')}, counters: ${(store.db.prepare('SELECT count(*) AS n FROM counters').get() as { n: number }).n.toLocaleString('en')}`);

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
// windows end on the last day that has data (a database made by an older generator may stop early)
const maxTs = (store.db.prepare('SELECT max(ts) AS t FROM raw_events').get() as { t: number | null }).t ?? END - 1;
const lastDay = Date.parse(day(Math.min(maxTs, END - 1)));
const last = day(lastDay);
const q90 = resolveRange({ date_from: day(lastDay - 89 * 86_400_000), date_to: last });
const q7 = resolveRange({ date_from: day(lastDay - 6 * 86_400_000), date_to: last });
const skipSlow = process.env.WAYMARK_BENCH_SKIP_SLOW === '1';
console.log(`windows: 90 days ${q90.from}..${q90.to}, 7 days ${q7.from}..${q7.to}${skipSlow ? ' (90-day raw-event reads skipped)' : ''}`);
const scope = { orgKey: ORG, env: 'prod' };
const reader = store.analytics;

const plan = store.db
  .prepare(`EXPLAIN QUERY PLAN SELECT kind, content_id, period, metric, value FROM counters WHERE org = ? AND env = ? AND kind = ? AND content_id IN (?) AND granularity = ? AND period >= ? AND period <= ? AND metric IN (?, ?, ?) AND dim = ''`)
  .all(ORG, 'prod', 'tour', 'tour_0', 'day', q90.from, q90.to, 'starts', 'completions', 'dismissals') as { detail: string }[];
console.log(`tour analytics query plan: ${plan.map((p) => p.detail).join(' | ')}`);

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
  console.log(`${name.padEnd(44)} runs ${String(runs).padStart(4)}  p50 ${at(0.5).padStart(9)} ms  p95 ${at(0.95).padStart(9)} ms  max ${at(1).padStart(9)} ms`);
}

const big = (await tourDaily(reader, scope, 'tour_0', q90)).totals;
console.log(`tour_0 over 90 days: ${big.starts.toLocaleString('en')} starts, ${big.completion_rate} % completed`);
await measure('tour analytics, 90 days daily (tour_0)', 500, () => tourDaily(reader, scope, 'tour_0', q90));
await measure('tour analytics, 90 days daily, Europe/Paris', 200, () => tourDaily(reader, scope, 'tour_0', resolveRange({ date_from: q90.from, date_to: q90.to, tz: 'Europe/Paris' })));
await measure('overview, 90 days', skipSlow ? 20 : 100, () => overview(reader, scope, q90, 10));
await measure('funnel, 7 days (tour_0)', 20, () => tourFunnel(reader, scope, 'tour_0', q7));
if (!skipSlow) await measure('funnel, 90 days (tour_0)', 10, () => tourFunnel(reader, scope, 'tour_0', q90));
if (!skipSlow) await measure('funnel, 90 days (tour_19, quiet)', 10, () => tourFunnel(reader, scope, 'tour_19', q90));
await measure('journey analytics, 7 days (grant)', 10, () => journeyAnalytics(reader, scope, 'grant', q7));
if (!skipSlow) await measure('journey analytics, 90 days (grant)', 5, () => journeyAnalytics(reader, scope, 'grant', q90));
if (!skipSlow) await measure('journey analytics, 90 days (survey, quiet)', 5, () => journeyAnalytics(reader, scope, 'survey', q90));

await store.close();
if (dir) rmSync(dir, { recursive: true, force: true });
