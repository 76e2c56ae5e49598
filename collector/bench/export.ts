/**
 * Export benchmark (manual, not part of `npm test`): rows per second of the 90-day NDJSON and CSV
 * export through the real route (`GET /v1/admin/export` of a collector listening on 127.0.0.1),
 * the process's RSS sampled every 100 ms during each stream (min / max), and the storage report
 * (`storage.ts`). The data (`export-data.ts`) goes through `store.append` and the processor once;
 * later runs on the same database only measure.
 *
 *   WAYMARK_BENCH_DB=/tmp/pg-bench/1m.db npm run bench:export -w @waymark/collector
 *   WAYMARK_BENCH_PG=postgres://postgres@127.0.0.1:5432/wm_pg_bench npm run bench:export -w @waymark/collector
 */
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
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

/** Streams one export to the end, counting rows (lines) and bytes; samples RSS meanwhile. */
function exportOnce(format: 'ndjson' | 'csv'): Promise<{ rows: number; bytes: number; ms: number; cpuMs: number; pgCpuS: number | null; rss: [number, number] }> {
  const path = `/v1/admin/export?format=${format}&date_from=${day(END - DAYS * 86_400_000)}&date_to=${day(END - 1)}`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const pg0 = postgresCpuSeconds();
    let lines = 0;
    let bytes = 0;
    let lo = Infinity;
    let hi = 0;
    const sample = () => {
      const rss = process.memoryUsage.rss();
      lo = Math.min(lo, rss);
      hi = Math.max(hi, rss);
    };
    const timer = setInterval(sample, 100);
    request({ host: '127.0.0.1', port, path, headers: { 'X-API-Key': KEY } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () => {
        clearInterval(timer);
        sample();
        // CSV: the header line; a quoted cell never holds a raw newline (`data` is JSON)
        const cpu = process.cpuUsage(cpu0);
        const pg1 = postgresCpuSeconds();
        const pgCpuS = store.engine === 'postgres' && pg0 !== null && pg1 !== null ? pg1 - pg0 : null;
        resolve({ rows: format === 'csv' ? lines - 1 : lines, bytes, ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, pgCpuS, rss: [lo, hi] });
      });
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

const mb = (b: number) => (b / 1048576).toFixed(0);
console.log(`${store.engine}: ${(await store.countEvents(ORG)).toLocaleString('en')} raw events`);
// the machine may be shared: the collector process's own CPU time gives a figure the load does not change
// and on PostgreSQL the server's CPU time (a local server only), to see which side the wall-clock goes to
const table = ['| export (90 days) | rows | MB | s | rows/s | collector CPU s | rows per CPU s | PostgreSQL CPU s | RSS min–max MB | load avg |', '|---|---|---|---|---|---|---|---|---|---|'];
for (const format of ['ndjson', 'csv', 'ndjson', 'csv'] as const) {
  const r = await exportOnce(format);
  const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en');
  const line = `| ${store.engine} ${format} | ${r.rows.toLocaleString('en')} | ${mb(r.bytes)} | ${(r.ms / 1000).toFixed(1)} | ${rate(r.rows, r.ms)} | ${(r.cpuMs / 1000).toFixed(1)} | ${rate(r.rows, r.cpuMs)} | ${r.pgCpuS === null ? '' : r.pgCpuS.toFixed(1)} | ${mb(r.rss[0])}–${mb(r.rss[1])} | ${loadavg()[0]!.toFixed(1)} |`;
  table.push(line);
  console.log(line);
}
console.log(`\n${table.join('\n')}\n`);
server.close();
await c.close();
console.log(storageTable(await storageOf(process.env.WAYMARK_BENCH_PG ?? process.env.WAYMARK_BENCH_DB ?? '/tmp/pg-bench/export.db')));
