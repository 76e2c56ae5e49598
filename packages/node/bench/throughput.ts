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

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000);
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
await endToEnd(1_000, 20);
await rawPost(baselineBatches(1_000, 20));

const before = await count();
let c0 = cpu();
baselineBatches(EVENTS, 20);
const baseCpu = cpu() - c0;
const trackCpu = await trackOnly(EVENTS);
const sdk20 = await endToEnd(EVENTS, 20);
const sdk100 = await endToEnd(EVENTS, 100);
// the bare fetch loop posts batches of the size the SDK sent, so the two move the same bytes
const rawBodies = baselineBatches(EVENTS, Math.round(sdk20.avgBatch));
c0 = cpu();
const t0 = performance.now();
await rawPost(rawBodies);
const rawWall = performance.now() - t0;
const rawCpu = cpu() - c0;
const stored = (await count()) - before;
child.send('stop');

const us = (v: number) => (v / EVENTS).toFixed(2);
const rate = (ms: number) => Math.round(EVENTS / (ms / 1000));
const x = (v: number) => (v / baseCpu).toFixed(2);
console.log(`\n@waymark/node into the real collector (SQLite, own process) on 127.0.0.1, ${EVENTS} events per run`);
console.table({
  'baseline: build + JSON.stringify only': { 'events/s': '-', 'CPU µs/event': us(baseCpu), 'CPU × baseline': '1.00', 'events/batch': 20 },
  'SDK track() only (sync loop)': { 'events/s': '-', 'CPU µs/event': us(trackCpu), 'CPU × baseline': x(trackCpu), 'events/batch': '-' },
  'SDK flushAt 20: track + delivery': { 'events/s': rate(sdk20.wall), 'CPU µs/event': us(sdk20.cpu), 'CPU × baseline': x(sdk20.cpu), 'events/batch': sdk20.avgBatch.toFixed(1) },
  'SDK flushAt 100: track + delivery': { 'events/s': rate(sdk100.wall), 'CPU µs/event': us(sdk100.cpu), 'CPU × baseline': x(sdk100.cpu), 'events/batch': sdk100.avgBatch.toFixed(1) },
  'bare fetch POST loop, same batch size': { 'events/s': rate(rawWall), 'CPU µs/event': us(rawCpu + baseCpu), 'CPU × baseline': x(rawCpu + baseCpu), 'events/batch': Math.round(sdk20.avgBatch) },
});
console.log(`SDK (flushAt 20) throughput = ${(rawWall / sdk20.wall).toFixed(2)} × the bare fetch loop's; events stored: ${stored} (expected ${EVENTS * 4})`);
if (stored !== EVENTS * 4) process.exitCode = 1;
