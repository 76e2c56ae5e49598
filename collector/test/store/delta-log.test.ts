// waymark-test-store: sqlite-only
/**
 * SQLite's read-model delta log (`pending-deltas.ts`): claims append their deltas, the claim after
 * the log reaches its length merges it first, and a merge that cannot be done fails the run
 * instead of sending the claim's events to the dead letters.
 */
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/rollups/aggregate';
import { createSqliteStore } from '../../src/store/sqlite/index';
import { MERGE_AT } from '../../src/store/sqlite/pending-deltas';
import { batches } from '../../bench/analytics-events';

async function storeWith(events: number) {
  const store = createSqliteStore({ filename: ':memory:' });
  await store.migrate();
  for (const b of batches(events, { days: 1 })) await store.append(b);
  return store;
}
const count = (store: Awaited<ReturnType<typeof storeWith>>, sql: string) => store.db.prepare(sql).pluck().get() as number;

describe('the read models\' delta log (SQLite)', () => {
  it('is merged by the claim that finds it long enough, before that claim\'s own deltas', async () => {
    const store = await storeWith(4000);
    // a log already at its length: the next claim merges it, then logs its own deltas alone
    store.db.prepare('INSERT INTO rm_pending (body, deltas) VALUES (?, ?)').run(
      JSON.stringify([['bench', 'prod', 'tour', 'tour_0', ['starts', 'd', Date.UTC(2025, 0, 1), '', 7], []]]), MERGE_AT,
    );
    expect(await store.processOutbox(2000, aggregate)).toBeGreaterThan(0);
    expect(store.db.prepare("SELECT value FROM rm_sums WHERE metric = 'starts' AND bucket = ?").pluck().get(Date.UTC(2025, 0, 1))).toBe(7);
    expect(count(store, 'SELECT count(*) FROM rm_pending')).toBe(1);
    expect(count(store, 'SELECT sum(deltas) FROM rm_pending')).toBeLessThan(MERGE_AT);
    await store.close();
  });

  it('fails the run on a log row it cannot merge, and sends no event to the dead letters', async () => {
    const store = await storeWith(2000);
    store.db.prepare('INSERT INTO rm_pending (body, deltas) VALUES (?, ?)').run('not a log row', MERGE_AT);
    await expect(store.processOutbox(2000, aggregate)).rejects.toThrow();
    expect(count(store, 'SELECT count(*) FROM dead_letters')).toBe(0);
    // nothing of the claim was applied: its events wait in the outbox
    expect(count(store, 'SELECT count(*) FROM outbox')).toBeGreaterThan(0);
    expect(count(store, 'SELECT count(*) FROM rm_entities')).toBe(0);
    await store.close();
  });
});
