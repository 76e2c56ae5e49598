// Heap bytes retained per buffered event: node --expose-gc packages/core/bench/heap.mjs
// (needs `npm run build -w @waymark/core`). Compared with a baseline of the same count of
// small objects pushed to an array, measured the same way in the same process.
import { createTracker, createMemoryStorage } from '../dist/index.js';

if (!globalThis.gc) throw new Error('run with node --expose-gc');
const N = 100_000;
const used = () => (gc(), gc(), process.memoryUsage().heapUsed);
const platform = {
  transport: { send: async () => ({ status: 'delivered' }) },
  storage: createMemoryStorage(),
  timers: { setTimeout: () => 0, clearTimeout: () => {} },
  location: () => ({ url: 'https://grants.example.com/apply', referrer: 'https://google.com' }),
};
const t = createTracker({ org: 'your-org-slug', journey: 'grant-application', endpoint: '/i', platform, flushAt: 1e9, flushBytes: 1e12 });
t.track('step_view', { stepKey: 'warm-up' });

let before = used();
for (let i = 0; i < N; i++) t.track('step_view', { stepKey: 'eligibility-check' });
const tracker = (used() - before) / N;

const keep = [];
before = used();
for (let i = 0; i < N; i++) keep.push({ _tag: 'step_view', stepKey: 'eligibility-check', ts: Date.now() });
const baseline = (used() - before) / N;

console.log(`heap per buffered event: ${tracker.toFixed(0)} B (track("step_view", { stepKey }), ${N} events)`);
console.log(`baseline (3-field object pushed to an array): ${baseline.toFixed(0)} B; ratio ${(tracker / baseline).toFixed(1)}x`);
if (keep.length != N || !t.sessionId) throw new Error('unreachable: keeps both alive');
