/**
 * Events per second through the Node SDK into a real collector on 127.0.0.1 (its own process),
 * and the SDK's own CPU time per event, each against a baseline measured in the same run:
 *   - CPU: a loop that only builds the same event objects and serialises them (the least work
 *     any SDK must do), vs `track()` + delivery (`shutdown()`), measured with process.cpuUsage;
 *   - throughput: the same batches POSTed with a bare fetch loop, vs through the SDK.
 * Bounded: a fixed number of events per run, a few seconds in all. Run: `npm run bench -w @waymark/node`.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createNodeTracker } from '../src/index';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 4_000);
const ORG = 'bench';
const JOURNEY = 'checkout';

const child = fork(fileURLToPath(new URL('./collector-child.ts', import.meta.url)), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
const next = <T>() => new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));
const { url } = await next<{ url: string }>();
const count = async () => (child.send('count'), (await next<{ count: number }>()).count);
const endpoint = `${url}/api/ingest`;

/** CPU time of this process (user + system), µs. The collector runs in another process. */
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** The baseline: build the same events and serialise them in batches, nothing else. */
function baselineBatches(n: number, perBatch: number): string[] {
  const bodies: string[] = [];
  let events: object[] = [];
  for (let i = 0; i < n; i++) {
    events.push({
      _tag: 'step_view', schemaVersion: 1, id: randomUUID(), ts: new Date().toISOString(), orgKey: ORG, journeyKey: JOURNEY,
      sessionId: 'bench-session', clientId: 'bench-client', url: '', embedVersion: '0.0.0', stepKey: `step-${i % 7}`,
    });
    if (events.length === perBatch || i === n - 1) {
      bodies.push(JSON.stringify({ schemaVersion: 1, context: { orgKey: ORG, journeyKey: JOURNEY, env: 'prod' }, events }));
      events = [];
    }
  }
  return bodies;
}

async function rawPost(bodies: string[]): Promise<void> {
  for (const body of bodies) {
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (res.status !== 204) throw new Error(`collector answered ${res.status}`);
  }
}

function tracker(flushAt: number) {
  const t = createNodeTracker({ org: ORG, journey: JOURNEY, endpoint, flushAt });
  const batches: number[] = [];
  t.core.on('send', ({ count: n }) => batches.push(n));
  return { t, batches, session: t.withIdentity({ sessionId: 'bench-session', clientId: 'bench-client' }) };
}

/** track() alone: a synchronous loop, so no flush or delivery work can run inside it. */
async function trackOnly(n: number) {
  const { t, session } = tracker(n + 1);
  const c0 = cpu();
  for (let i = 0; i < n; i++) session.track('step_view', { stepKey: `step-${i % 7}` });
  const used = cpu() - c0;
  await t.shutdown({ timeout: 60_000 });
  return used;
}

/** track() with delivery running alongside (yielding every 500 events, as a server would), until shutdown() delivered all. */
async function endToEnd(n: number, flushAt: number) {
  const { t, session, batches } = tracker(flushAt);
  const c0 = cpu();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    session.track('step_view', { stepKey: `step-${i % 7}` });
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  const { pending } = await t.shutdown({ timeout: 60_000 });
  const wall = performance.now() - t0;
  if (pending) throw new Error(`${pending} events not delivered`);
  return { wall, cpu: cpu() - c0, avgBatch: n / batches.length };
}

// warm-up (JIT, sockets, SQLite pages), not measured
await endToEnd(EVENTS, 20);
await rawPost(baselineBatches(1_000, 20));

// Rounds interleave every measurement, so that load from other processes on this shared
// machine hits them alike; each figure is the median of its rounds.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = { baseCpu: [] as number[], trackCpu: [] as number[], w20: [] as number[], c20: [] as number[], w100: [] as number[], c100: [] as number[], rawWall: [] as number[], rawCpu: [] as number[] };
let batch = 20;
const before = await count();
for (let r = 0; r < ROUNDS; r++) {
  let c0 = cpu();
  baselineBatches(EVENTS, 20);
  m.baseCpu.push(cpu() - c0);
  m.trackCpu.push(await trackOnly(EVENTS));
  const s20 = await endToEnd(EVENTS, 20);
  m.w20.push(s20.wall);
  m.c20.push(s20.cpu);
  batch = Math.round(s20.avgBatch);
  const s100 = await endToEnd(EVENTS, 100);
  m.w100.push(s100.wall);
  m.c100.push(s100.cpu);
  // the bare fetch loop posts batches of the size the SDK sent, so the two move the same bytes
  const rawBodies = baselineBatches(EVENTS, batch);
  c0 = cpu();
  const t0 = performance.now();
  await rawPost(rawBodies);
  m.rawWall.push(performance.now() - t0);
  m.rawCpu.push(cpu() - c0);
}
const stored = (await count()) - before;
child.send('stop');

const baseCpu = median(m.baseCpu);
const us = (v: number) => (v / EVENTS).toFixed(2);
const rate = (ms: number) => Math.round(EVENTS / (ms / 1000));
const x = (v: number) => (v / baseCpu).toFixed(2);
const rawTotal = median(m.rawCpu) + baseCpu;
console.log(`\n@waymark/node into the real collector (SQLite, own process) on 127.0.0.1: ${EVENTS} events per run, median of ${ROUNDS} rounds`);
console.table({
  'baseline: build + JSON.stringify only': { 'events/s': '-', 'CPU µs/event': us(baseCpu), 'CPU × baseline': '1.00', 'events/batch': 20 },
  'SDK track() only (sync loop)': { 'events/s': '-', 'CPU µs/event': us(median(m.trackCpu)), 'CPU × baseline': x(median(m.trackCpu)), 'events/batch': '-' },
  'SDK flushAt 20: track + delivery': { 'events/s': rate(median(m.w20)), 'CPU µs/event': us(median(m.c20)), 'CPU × baseline': x(median(m.c20)), 'events/batch': batch },
  'SDK flushAt 100: track + delivery': { 'events/s': rate(median(m.w100)), 'CPU µs/event': us(median(m.c100)), 'CPU × baseline': x(median(m.c100)), 'events/batch': batch },
  'bare fetch POST loop (build + JSON + fetch)': { 'events/s': rate(median(m.rawWall)), 'CPU µs/event': us(rawTotal), 'CPU × baseline': x(rawTotal), 'events/batch': batch },
});
console.log(
  `SDK (flushAt 20): ${(median(m.rawWall) / median(m.w20)).toFixed(2)} × the bare fetch loop's throughput, ` +
    `${(median(m.c20) / rawTotal).toFixed(2)} × its CPU per event; events stored: ${stored} (expected ${EVENTS * 4 * ROUNDS})`,
);
if (stored !== EVENTS * 4 * ROUNDS) process.exitCode = 1;
