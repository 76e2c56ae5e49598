/**
 * The SQLite export page is one range of raw_events_export in (ts, seq) order, with no temporary
 * B-tree for the ORDER BY, on a file without `sqlite_stat1` (never analyzed).
 */
import { describe, expect, it } from 'vitest';
import { EXPORT_PAGE_SQL } from '../../src/store/sqlite/analytics-feed';
import { createSqliteStore } from '../../src/store/sqlite/index';

describe('SQLite plans of the hot reads', () => {
  it('reads an export page as one range of raw_events_export, no sort', async () => {
    const store = createSqliteStore({ filename: ':memory:' });
    await store.migrate();
    const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${EXPORT_PAGE_SQL}`).all('acme', 'prod', 1, 2, 3, 1000) as { detail: string }[]).map((p) => p.detail);
    expect(plan).toEqual([expect.stringMatching(/^SEARCH raw_events USING INDEX raw_events_export \(org=\? AND env=\? AND ts>\? AND ts<\?\)$/)]);
    expect(plan.join(' ')).not.toMatch(/TEMP B-TREE|SCAN/);
    await store.close();
  });
});
