// Median time of one track() call, the figure the ≤ 1 µs target is about:
// node packages/core/bench/median.mjs (needs `npm run build -w @waymark/core`).
// 400 rounds of 1,000 calls; the buffer is flushed every 20 rounds, as a page would send it.
// The baseline pushes the same number of similar objects to an array, in the same process.
import { createTracker, createMemoryQueueStore, createMemoryStorage } from '../dist/index.js';

const platform = {
  transport: { send: async () => ({ status: 'delivered' }) },
  storage: createMemoryStorage(),
  queueStore: createMemoryQueueStore(),
  location: () => ({ url: 'https://grants.example.com/apply', referrer: 'https://google.com' }),
};
const t = createTracker({ org: 'your-org-slug', journey: 'grant-application', endpoint: '/i', platform, flushAt: 1e9, flushBytes: 1e12, flushInterval: 1e9 });

async function median(call, flush) {
  const rounds = [];
  for (let r = 0; r < 400; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) call(i);
    rounds.push(Number(process.hrtime.bigint() - t0) / 1000);
    if (r % 20 == 19) await flush();
  }
  return rounds.sort((a, b) => a - b)[200];
}

let list = [];
const base = await median((i) => list.push({ type: 'step_view', stepKey: 'eligibility-check', i }), async () => void (list = []));
const track = await median(() => t.track('step_view', { stepKey: 'eligibility-check' }), () => t.flush());
console.log(`track() median ${(track / 1000).toFixed(2)} µs per call; baseline (array push) ${(base / 1000).toFixed(3)} µs; ratio ${(track / base).toFixed(1)}x`);
