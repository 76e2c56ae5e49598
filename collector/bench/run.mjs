// Ingest benchmark: events/s with batches of 20 over HTTP from a separate load process on
// 127.0.0.1, the collector (SQLite) as a ratio to a bare Express app that parses the same
// batches and answers 204, in the same run. Bounded: ~5 s per phase.
// Env: BENCH_SECONDS (4), BENCH_CONNECTIONS (16), BENCH_ROUNDS (2), BENCH_LOG_LEVEL (info),
// BENCH_IDS (`sdk`, the default: the SDKs' time-ordered UUID v7; `v4`: random; `seq`; see load.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const seconds = process.env.BENCH_SECONDS ?? '4';
const conns = process.env.BENCH_CONNECTIONS ?? '16';
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const tsx = ['--import', 'tsx'];

function startServer(mode) {
  const child = spawn(process.execPath, [...tsx, here('./server.ts'), mode], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  child.cpu = new Promise((resolve) => {
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', () => {
      const m = /CPU (\d+) (\d+)/.exec(err);
      if (err.replace(/CPU \d+ \d+\n?|outbox backlog at stop: 0\n?/g, '').trim()) process.stderr.write(err);
      resolve(m ? Number(m[1]) / Number(m[2]) : NaN);
    });
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${mode} server did not start`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.resume(); // the collector's request logs go here: read and drop them
        child.stdout.removeAllListeners('data');
        child.stdout.on('data', () => {});
        resolve({ child, url: `http://127.0.0.1:${m[1]}` });
      }
    });
    const early = (code) => reject(new Error(`${mode} server exited with ${code}`));
    child.once('exit', early);
    child.early = early;
  });
}

function load(url) {
  const child = spawn(process.execPath, [...tsx, here('./load.ts'), url, seconds, conns, '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load exited ${code}`)))));
}

async function phase(mode) {
  const { child, url } = await startServer(mode);
  const result = {};
  try {
    return Object.assign(result, await load(url));
  } finally {
    child.removeListener('exit', child.early);
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await done;
    result.cpuUsPerBatch = await child.cpu;
  }
}

const results = { bare: [], collector: [] };
for (let r = 0; r < rounds; r++) {
  for (const mode of ['bare', 'collector']) {
    const res = await phase(mode);
    results[mode].push(res);
    console.log(`round ${r + 1} ${mode.padEnd(9)} ${Math.round(res.eventsPerSec).toString().padStart(7)} events/s  ${Math.round(res.requestsPerSec).toString().padStart(6)} req/s  p50 ${res.p50ms.toFixed(2)} ms  p99 ${res.p99ms.toFixed(2)} ms  failed ${res.failed}  server CPU ${Math.round(res.cpuUsPerBatch)} µs/batch`);
  }
}
const best = (xs) => xs.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
const bare = best(results.bare);
const col = best(results.collector);
console.log(`\ningest (batches of 20, ${conns} keep-alive connections, ${seconds} s per phase, best of ${rounds}):`);
console.log(`  bare Express parse + 204: ${Math.round(bare.eventsPerSec)} events/s, p50 ${bare.p50ms.toFixed(2)} ms, p99 ${bare.p99ms.toFixed(2)} ms`);
console.log(`  collector (SQLite):       ${Math.round(col.eventsPerSec)} events/s, p50 ${col.p50ms.toFixed(2)} ms, p99 ${col.p99ms.toFixed(2)} ms`);
console.log(`  ratio: ${((col.eventsPerSec / bare.eventsPerSec) * 100).toFixed(1)} % of the bare Express ceiling (target >= 70 %)`);
const cpu = (xs) => Math.min(...xs.map((x) => x.cpuUsPerBatch));
console.log(`  server CPU per batch of 20 (all threads, least of ${rounds}): bare ${Math.round(cpu(results.bare))} µs, collector ${Math.round(cpu(results.collector))} µs`);
console.log(`  CPU-bound ratio (bare CPU / collector CPU): ${((cpu(results.bare) / cpu(results.collector)) * 100).toFixed(1)} %`);
