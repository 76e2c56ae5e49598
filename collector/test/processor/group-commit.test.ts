// waymark-test-store: sqlite-only
/**
 * The SQLite store group-commits the batches appended in one event-loop turn: each batch is still
 * all or nothing and deduplicated, its promise settles only once committed, and one bad batch does
 * not fail the others in its group. The processor coalesces its runs, and drain() still counts all.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createProcessor } from '../../src/processor';
import type { RawEvent } from '../../src/store/types';
import { store, useSqliteStore } from '../helpers/sqlite';

useSqliteStore('group');

const ts = Date.parse('2026-03-01T10:00:00Z');
function raw(id: string, over: Partial<RawEvent> = {}): RawEvent {
  const json = JSON.stringify({ _tag: 'step_view', schemaVersion: 1, id, ts: new Date(ts).toISOString(), orgKey: 'o', journeyKey: 'j', sessionId: 's', clientId: 'c', url: 'https://a.example/', stepKey: 'k' });
  return { orgKey: 'o', env: 'production', contentKind: 'journey', contentId: 'j', ts, eventId: id, sessionId: 's', clientId: 'c', type: 'step_view', source: 'sdk', json, ...over };
}
const commits = () => store.db.prepare('SELECT count(DISTINCT received_at) AS n FROM raw_events').pluck().get() as number;

describe('SQLite group commit', () => {
  it('writes the batches of one turn in one transaction, each deduplicated, all outboxed once', async () => {
    const results = await Promise.all([
      store.append([raw('a1'), raw('a2')]),
      store.append([raw('a2'), raw('b1')]), // a2 is also in the batch before it
      store.append([raw('c1')]),
    ]);
    expect(results).toEqual([
      { inserted: 2, duplicates: 0 },
      { inserted: 1, duplicates: 1 },
      { inserted: 1, duplicates: 0 },
    ]);
    expect(await store.countEvents()).toBe(4);
    expect(await store.outboxBacklog()).toBe(4);
    expect(commits()).toBe(1); // one Date.now() per transaction
    // a later turn is a new transaction, and its promise resolves after its commit
    await new Promise((r) => setTimeout(r, 5));
    expect(await store.append([raw('d1'), raw('a1')])).toEqual({ inserted: 1, duplicates: 1 });
    expect(await store.countEvents()).toBe(5);
    expect(commits()).toBe(2);
  });

  it('fails only the batch that violates a constraint, the others in its group are stored', async () => {
    const bad = raw('x1', { json: null as unknown as string }); // NOT NULL
    const settled = await Promise.allSettled([store.append([raw('g1')]), store.append([raw('x0'), bad]), store.append([raw('g2')])]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.countEvents()).toBe(2); // g1, g2; nothing of the bad batch (x0 rolled back)
    expect(await store.outboxBacklog()).toBe(2);
  });

  it('rejects every batch of the group when the store itself fails', async () => {
    const pending = [store.append([raw('z1')]), store.append([raw('z2')])];
    await store.close();
    const settled = await Promise.allSettled(pending);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });

  it('coalesced processor: schedule() runs later, drain() counts everything pending at once', async () => {
    const processor = createProcessor({ store, logger: pino({ level: 'silent' }), coalesceMs: 60_000 });
    try {
      for (let i = 0; i < 5; i++) await store.append([raw(`p${i}a`), raw(`p${i}b`)]);
      processor.schedule();
      await new Promise((r) => setTimeout(r, 20));
      expect(await store.outboxBacklog()).toBe(10); // still waiting for its window
      await processor.drain();
      expect(await store.outboxBacklog()).toBe(0);
      const views = await store.readCounters({ orgKey: 'o', granularity: 'day', metric: 'step_views' });
      expect(views.filter((c) => c.dim === '').reduce((n, c) => n + c.value, 0)).toBe(10);
    } finally {
      await processor.stop();
    }
  });
});
