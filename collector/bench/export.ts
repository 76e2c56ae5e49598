/**
 * Export benchmark (manual, not part of `npm test`): rows per second of the 90-day NDJSON and CSV
 * export through the real route (`GET /v1/admin/export` of a collector listening on 127.0.0.1,
 * read by a client process of its own, `export-client.mjs`), the collector's CPU time and RSS
 * (sampled every 100 ms, min / max) during each stream, the PostgreSQL server's CPU time
 * (`server-cpu.ts`, a local server only), and the storage report
 * (`storage.ts`). The data (`export-data.ts`) goes through `store.append` and the processor once;
 * later runs on the same database only measure.
 *
 *   WAYMARK_BENCH_DB=/tmp/pg-bench/1m.db npm run bench:export -w @waymark/collector
 *   WAYMARK_BENCH_PG=postgres://postgres@127.0.0.1:5432/wm_pg_bench npm run bench:export -w @waymark/collector
 */
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createCollector } from '../src/app';
import { DAYS, END, ORG } from './analytics-events';
import { openBenchStore } from './export-data';
import { postgresCpuSeconds } from './server-cpu';
import { storageOf, storageTable } from './storage';

const KEY = 'sk_bench_0123456789abcdef';
const store = await openBenchStore();
const c = await createCollector({
  store,
  scheduleRetention: false,
  inProcessProcessor: false,
  logger: pino({ level: 'silent' }),
  config: { orgs: [{ key: ORG, apiKeys: [KEY], rateLimit: { requests: 1e9, perSeconds: 3600 }, journeys: [{ key: 'grant' }] }] },
});
const server: Server = c.app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const port = (server.address() as AddressInfo).port;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

const CLIENT = fileURLToPath(new URL('./export-client.mjs', import.meta.url));

/** One export streamed to the end by the client process; the collector's CPU and RSS sampled meanwhile. */
async function exportOnce(format: 'ndjson' | 'csv') {
  const url = `http://127.0.0.1:${port}/v1/admin/export?format=${format}&date_from=${day(END - DAYS * 86_400_000)}&date_to=${day(END - 1)}`;
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuSeconds();
  let lo = Infinity;
  let hi = 0;
  const sample = () => {
    const rss = process.memoryUsage.rss();
    lo = Math.min(lo, rss);
    hi = Math.max(hi, rss);
  };
  const timer = setInterval(sample, 100);
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [CLIENT, url, KEY], { maxBuffer: 1 << 20 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
  clearInterval(timer);
  sample();
  const cpu = process.cpuUsage(cpu0);
  const pg1 = postgresCpuSeconds();
  const client = JSON.parse(out) as { lines: number; bytes: number; ms: number; cpuMs: number };
  return {
    // CSV: the header line; a quoted cell never holds a raw newline (`data` is JSON)
    rows: format === 'csv' ? client.lines - 1 : client.lines,
    bytes: client.bytes,
    ms: client.ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    clientCpuMs: client.cpuMs,
    pgCpuS: store.engine === 'postgres' && pg0 !== null && pg1 !== null ? pg1 - pg0 : null,
    rss: [lo, hi] as const,
  };
}

const mb = (b: number) => (b / 1048576).toFixed(0);
console.log(`${store.engine}: ${(await store.countEvents(ORG)).toLocaleString('en')} raw events`);
// the machine may be shared: the collector's own CPU time depends far less on the load than the
// wall-clock does (a loaded machine still inflates it: compare runs made at the same time), and on
// PostgreSQL the server's CPU time (a local server only) shows which side the wall-clock goes to
const table = ['| export (90 days) | rows | MB | s | rows/s | collector CPU s | rows per CPU s | PostgreSQL CPU s | client CPU s | RSS min–max MB | load avg |', '|---|---|---|---|---|---|---|---|---|---|---|'];
for (const format of ['ndjson', 'csv', 'ndjson', 'csv'] as const) {
  const r = await exportOnce(format);
  const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en');
  const line = `| ${store.engine} ${format} | ${r.rows.toLocaleString('en')} | ${mb(r.bytes)} | ${(r.ms / 1000).toFixed(1)} | ${rate(r.rows, r.ms)} | ${(r.cpuMs / 1000).toFixed(1)} | ${rate(r.rows, r.cpuMs)} | ${r.pgCpuS === null ? '' : r.pgCpuS.toFixed(1)} | ${(r.clientCpuMs / 1000).toFixed(1)} | ${mb(r.rss[0])}–${mb(r.rss[1])} | ${loadavg()[0]!.toFixed(1)} |`;
  table.push(line);
  console.log(line);
}
console.log(`\n${table.join('\n')}\n`);
server.close();
await c.close();
console.log(storageTable(await storageOf(process.env.WAYMARK_BENCH_PG ?? process.env.WAYMARK_BENCH_DB ?? '/tmp/pg-bench/export.db')));
