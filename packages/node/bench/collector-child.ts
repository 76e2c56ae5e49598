/**
 * The collector for the benchmark, in its own process so that its CPU time is not counted as
 * the SDK's. Talks over the IPC channel: sends `{ url }` when listening, answers `count` with
 * the number of stored events, and stops on `stop`.
 */
import { startTestCollector } from '@waymark/collector/testing';

const c = await startTestCollector({
  config: {
    orgs: [{ key: 'bench', apiKeys: ['bench-api-key-0123456789'], journeys: [{ key: 'checkout' }], rateLimit: { requests: 1_000_000_000, perSeconds: 3600 } }],
    logLevel: 'silent',
  },
});
process.send!({ url: c.url });
process.on('message', async (m: string) => {
  if (m === 'count') process.send!({ count: await c.store.countEvents('bench') });
  if (m === 'stop') {
    await c.stop();
    process.exit(0);
  }
});
