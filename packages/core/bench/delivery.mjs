// Cost per event including delivery, for the browser path (the core over a memory store, the
// transport answered on the next macrotask, as the peer harness does) and the Node SDK (its HTTP
// transport over a stubbed fetch, memory queue): 20,000 back-to-back track() calls, then
// - track() sync µs per call (median of 20 slices of 1,000 calls),
// - total CPU µs per event until the last event was acknowledged,
// - heap bytes per queued event right after the loop,
// - delivered / N. Baselines, same process: pushing small objects to an array, flushed once; and
//   the wire-format floor (`format-floor.mjs`): what the batch format itself costs.
// Run: node --expose-gc packages/core/bench/delivery.mjs (after `npm run build`).
import { createMemoryQueueStore, createMemoryStorage, createTracker } from '../dist/index.js';
import { createNodeTracker } from '../../node/dist/index.js';
import { createFormatFloor } from './format-floor.mjs';

if (!globalThis.gc) throw new Error('run with node --expose-gc');
const N = 20_000;
const used = () => (gc(), gc(), process.memoryUsage().heapUsed);
const macrotask = () => new Promise((r) => setTimeout(r, 0));

async function measure(name, make) {
  let delivered = 0;
  const count = (body) => (delivered += (body.match(/"bench_event"/g) || []).length);
  const { track, flush } = make(count);
  await macrotask();
  const before = used();
  const cpu0 = process.cpuUsage();
  const slices = [];
  for (let s = 0; s < N / 1000; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) track(i);
    slices.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const heap = (process.memoryUsage().heapUsed - before) / N;
  flush();
  const end = Date.now() + 60_000;
  while (delivered < N && Date.now() < end) await macrotask();
  const c = process.cpuUsage(cpu0);
  slices.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(34)} track() ${(slices[slices.length >> 1] / 1000).toFixed(2)} µs · total CPU ${((c.user + c.system) / N).toFixed(2)} µs/event · heap ${heap.toFixed(0)} B/queued event · delivered ${delivered}/${N}`,
  );
}

const location = () => ({ url: 'https://grants.example.com/apply', referrer: 'https://google.com' });
await measure('baseline: array push + one send', (count) => {
  let a = [];
  return { track: (i) => a.push({ _tag: 'bench_event', i, ts: Date.now() }), flush: () => (count(JSON.stringify(a)), (a = [])) };
});
await measure('wire-format floor (same events)', (count) => {
  const floor = createFormatFloor({ post: async (body) => (await macrotask(), count(body)), location, context: { orgKey: 'bench', journeyKey: 'bench', env: 'prod' } });
  return { track: (i) => floor.track('bench_event', { i }), flush: floor.flush };
});
await measure('browser path (core, memory store)', (count) => {
  const transport = { send: async (body) => (await macrotask(), count(body), { status: 'delivered' }) };
  const t = createTracker({ org: 'bench', journey: 'bench', endpoint: '/api/ingest', platform: { transport, storage: createMemoryStorage(), queueStore: createMemoryQueueStore(), location } });
  return { track: (i) => t.track('bench_event', { i }), flush: () => t.flush() };
});
await measure('Node SDK (http transport, memory)', (count) => {
  const fetch = async (_url, init) => (await macrotask(), count(typeof init.body == 'string' ? init.body : ''), new Response(null, { status: 204 }));
  const t = createNodeTracker({ org: 'bench', journey: 'bench', endpoint: 'http://127.0.0.1:9/api/ingest', fetch, gzipThreshold: 0 });
  return { track: (i) => t.track('bench_event', { i }), flush: () => t.flush() };
});
