/** SIGTERM: stop accepting, finish requests in flight, drain the processor, close the store, exit 0. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testStoreFor } from '../../src/store/postgres/testing';
import { createSqliteStore } from '../../src/store/sqlite/index';
import { makeBatch, post, TEST_CONFIG } from '../helpers/collector';
import { exited, startChildCollector } from '../helpers/child';

const dir = mkdtempSync(join(tmpdir(), 'waymark-sigterm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SIGTERM', () => {
  it('answers the requests in flight, counts everything, and exits 0', async () => {
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...TEST_CONFIG, logLevel: 'warn' }));
    const dataDir = join(dir, 'data');
    const { child, url, output } = await startChildCollector(['--config', configFile, '--data-dir', dataDir]);
    for (let i = 0; i < 5; i++) expect((await post(url, '/api/ingest', makeBatch(20))).status).toBe(204);
    const inFlight = Array.from({ length: 10 }, () => post(url, '/api/ingest', makeBatch(20)).then((r) => r.status, () => 0));
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    const statuses = await Promise.all(inFlight);
    const { code } = await exited(child);
    expect(code, output()).toBe(0);
    const acked = 5 + statuses.filter((s) => s === 204).length;
    // WAYMARK_TEST_STORE=postgres: the child wrote to the PostgreSQL schema of its data directory
    const store = (await testStoreFor(dataDir)) ?? createSqliteStore({ filename: join(dataDir, 'waymark.db') });
    try {
      expect(await store.countEvents('test-org')).toBe(acked * 20);
      expect(await store.outboxBacklog()).toBe(0); // drained before exit
      const sessions = await store.readCounters({ orgKey: 'test-org', granularity: 'day', metric: 'sessions' });
      expect(sessions.reduce((n, r) => n + r.value, 0)).toBe(acked);
    } finally {
      await store.close();
    }
  }, 60_000);
});
