// Ingest benchmark on PostgreSQL, next to SQLite and the bare Express ceiling, in one run:
// events/s with batches of 20 over HTTP from separate load processes on 127.0.0.1.
//   bare       Express parsing the batches and answering 204 (the ceiling)
//   sqlite     the collector on SQLite (bench/server.ts)
//   pg x1      one collector on PostgreSQL, processor in-process
//   pg x3      three collectors on one PostgreSQL database (--no-processor) + two `processor` processes
// With several collectors, one load process per collector shares the connections; events/s are
// summed and p50/p99 are the worst of the load processes. After each PostgreSQL phase the time the
// processors need to empty the outbox is measured (bounded: 60 s).
// Env: BENCH_SECONDS (4), BENCH_CONNECTIONS (16), BENCH_ROUNDS (1), BENCH_LOG_LEVEL (warn),
//      BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const seconds = process.env.BENCH_SECONDS ?? '4';
const conns = Number(process.env.BENCH_CONNECTIONS ?? 16);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const dbUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.BENCH_LOG_LEVEL ??= 'warn';
const tsx = ['--import', 'tsx'];
const dataDir = mkdtempSync(join(tmpdir(), 'waymark-pgbench-'));

function start(args, ready) {
  const child = spawn(process.execPath, [...tsx, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.on('data', () => {});
        resolve({ child, url: m[1] ? `http://127.0.0.1:${m[1]}` : undefined });
      }
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

async function stop(child) {
  child.removeAllListeners('exit');
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

function load(url, connections) {
  const child = spawn(process.execPath, [...tsx, here('./load.ts'), url, seconds, String(connections), '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load exited ${code}`)))));
}

async function loadAll(urls) {
  const per = Math.max(1, Math.round(conns / urls.length));
  const res = await Promise.all(urls.map((u) => load(u, per)));
  return {
    eventsPerSec: res.reduce((n, r) => n + r.eventsPerSec, 0),
    p50ms: Math.max(...res.map((r) => r.p50ms)),
    p99ms: Math.max(...res.map((r) => r.p99ms)),
    failed: res.reduce((n, r) => n + r.failed, 0),
  };
}

async function withSchema(fn) {
  const schema = `wmbench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: dbUrl });
  await admin.connect();
  try {
    return await fn(schema, admin);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

async function drainTime(admin, schema) {
  const t0 = Date.now();
  for (;;) {
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`).catch(() => ({ rows: [{ n: 0 }] }));
    if (rows[0].n === 0 || Date.now() - t0 > 60_000) return { ms: Date.now() - t0, left: rows[0].n };
    await new Promise((r) => setTimeout(r, 100));
  }
}

const phases = {
  async bare() {
    const s = await start([here('./server.ts'), 'bare'], /PORT (\d+)/);
    try { return await loadAll([s.url]); } finally { await stop(s.child); }
  },
  async sqlite() {
    const s = await start([here('./server.ts'), 'collector'], /PORT (\d+)/);
    try { return await loadAll([s.url]); } finally { await stop(s.child); }
  },
  'pg x1': () =>
    withSchema(async (schema, admin) => {
      const s = await start([here('./postgres-server.ts'), dbUrl, schema, 'inproc'], /PORT (\d+)/);
      try {
        const r = await loadAll([s.url]);
        return { ...r, drain: await drainTime(admin, schema) };
      } finally { await stop(s.child); }
    }),
  'pg x3': () =>
    withSchema(async (schema, admin) => {
      const first = await start([here('./postgres-server.ts'), dbUrl, schema, 'noproc'], /PORT (\d+)/); // migrates
      const rest = await Promise.all([0, 1].map(() => start([here('./postgres-server.ts'), dbUrl, schema, 'noproc'], /PORT (\d+)/)));
      const env = { DATABASE_URL: dbUrl, WAYMARK_DATABASE_SCHEMA: schema };
      Object.assign(process.env, env);
      const procs = await Promise.all([0, 1].map(() => start([here('../src/cli.ts'), 'processor', '--data-dir', dataDir], /(processor running)/)));
      const all = [first, ...rest];
      try {
        const r = await loadAll(all.map((s) => s.url));
        return { ...r, drain: await drainTime(admin, schema) };
      } finally {
        await Promise.all([...all, ...procs].map((s) => stop(s.child)));
        delete process.env.DATABASE_URL;
        delete process.env.WAYMARK_DATABASE_SCHEMA;
      }
    }),
};

const best = {};
try {
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(phases)) {
      const res = await run();
      if (!best[name] || res.eventsPerSec > best[name].eventsPerSec) best[name] = res;
      const drain = res.drain ? `  outbox emptied ${res.drain.ms} ms after the load${res.drain.left ? ` (${res.drain.left} left)` : ''}` : '';
      console.log(`round ${r + 1} ${name.padEnd(7)} ${Math.round(res.eventsPerSec).toString().padStart(7)} events/s  p50 ${res.p50ms.toFixed(2)} ms  p99 ${res.p99ms.toFixed(2)} ms  failed ${res.failed}${drain}`);
    }
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
const base = best.bare.eventsPerSec;
console.log(`\ningest on PostgreSQL next to SQLite (batches of 20, ${conns} connections in all, ${seconds} s per phase, best of ${rounds}):`);
for (const [name, r] of Object.entries(best)) {
  console.log(`  ${name.padEnd(7)} ${Math.round(r.eventsPerSec).toString().padStart(7)} events/s  ${((r.eventsPerSec / base) * 100).toFixed(1).padStart(5)} % of bare  p50 ${r.p50ms.toFixed(2)} ms  p99 ${r.p99ms.toFixed(2)} ms`);
}
