/** The processor in a worker thread (`processor.mode: 'worker'`) counts exactly like the inline one. */
import { describe, expect, it } from 'vitest';
import { makeBatch, post, startTestCollector, TEST_CONFIG } from '../helpers/collector';

describe('processor in a worker thread', () => {
  it('counts every stored event once, and drains on stop', async () => {
    const c = await startTestCollector({ config: { ...TEST_CONFIG, processor: { mode: 'worker', batchSize: 50 } } });
    try {
      const batches = Array.from({ length: 30 }, () => makeBatch(20));
      await Promise.all(batches.map((b) => post(c.url, '/api/ingest', b)));
      await Promise.all(batches.slice(0, 10).map((b) => post(c.url, '/api/ingest', b))); // duplicates
      await c.drain();
      expect(await c.store.outboxBacklog()).toBe(0);
      const sessions = await c.store.readCounters({ orgKey: 'test-org', granularity: 'hour', metric: 'sessions' });
      expect(sessions.reduce((n, r) => n + r.value, 0)).toBe(30);
      const steps = await c.store.readCounters({ orgKey: 'test-org', granularity: 'day', metric: 'step_views' });
      expect(steps.filter((r) => r.dim === '').reduce((n, r) => n + r.value, 0)).toBe(30 * 19);
    } finally {
      await c.stop();
    }
  });
});
