/**
 * The processor in a worker thread (`processor.mode: 'worker'`) counts exactly like the inline one,
 * and isolates an event it cannot apply like the inline one (the worker only runs on the
 * collector's own SQLite file).
 */
import { describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite/index';
import { testStoreEngine } from '../../src/store/postgres/testing';
import { makeBatch, post, startTestCollector, TEST_API_KEY, TEST_CONFIG } from '../helpers/collector';

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

  it.skipIf(testStoreEngine() === 'postgres')('moves an event it cannot apply to the dead letters and counts the rest', async () => {
    const c = await startTestCollector({ config: { ...TEST_CONFIG, processor: { mode: 'worker' } } });
    try {
      // the worker has its own connection to the same file: the trigger is in the schema both see
      (c.store as SqliteStore).db.exec("CREATE TRIGGER no_step BEFORE INSERT ON counters WHEN NEW.dim = 'step-3' BEGIN SELECT RAISE(ABORT, 'no step-3'); END");
      expect((await post(c.url, '/api/ingest', makeBatch(8))).status).toBe(204);
      await c.drain();
      const letters = await c.store.deadLetters.list({ orgKey: 'test-org', limit: 10 });
      expect(letters.rows.map((d) => [d.type, d.errorCode])).toEqual([['step_view', 'SQLITE_CONSTRAINT_TRIGGER']]);
      const steps = await c.store.readCounters({ orgKey: 'test-org', granularity: 'day', metric: 'step_views' });
      expect(steps.find((r) => r.dim === '')?.value).toBe(6);
      const health = await (await fetch(`${c.url}/health`)).json();
      expect(health).toMatchObject({ status: 'degraded', dead_letters: 1, processor: { running: true, consecutive_failures: 0 } });
      (c.store as SqliteStore).db.exec('DROP TRIGGER no_step');
      const retry = await fetch(`${c.url}/v1/admin/dead-letters/retry`, { method: 'POST', headers: { 'x-api-key': TEST_API_KEY } });
      expect(((await retry.json()) as { data: object }).data).toEqual({ retried: 1, applied: 1, failed: 0, gone: 0, remaining: 0 });
      await c.drain();
      expect((await c.store.readCounters({ orgKey: 'test-org', granularity: 'day', metric: 'step_views' })).find((r) => r.dim === '')?.value).toBe(7);
    } finally {
      await c.stop();
    }
  });
});
