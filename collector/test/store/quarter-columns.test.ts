// waymark-test-store: sqlite-only
/**
 * SQLite keeps a day's quarter-hour sums in its day row (`quarter-columns.ts`): the migration
 * moves quarter rows of an older file into their day row, the writer packs deltas per cell and
 * day (dropping a row whose total comes back to zero), and the reader answers quarter rows as
 * before.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS, QUARTER_MS, type SumDelta } from '../../src/rollups/delta-sink';
import { createSqliteStore } from '../../src/store/sqlite/index';
import { createQuarterWriter, packByDay, quarterRuns, readQuarterRows } from '../../src/store/sqlite/quarter-columns';
import { bucketRows } from '../helpers/rm-sums';
import { migrateUpTo } from '../helpers/sqlite';

const DAY = Date.UTC(2025, 4, 2);
const base = { orgKey: 'acme', env: 'prod', contentKind: 'journey', contentId: 'grant', metric: 'j_step', dim: 'details' } as const;
const d = (value: number, day = DAY): SumDelta => ({ ...base, gran: 'd', bucket: day, value });
const q = (i: number, value: number, day = DAY): SumDelta => ({ ...base, gran: 'q', bucket: day + i * QUARTER_MS, value });
const sorted = (rows: ReturnType<typeof bucketRows>) => rows.map((r) => `${r.gran}|${r.bucket}|${r.dim}=${r.value}`).sort();

describe('quarter sums as columns of the day row (SQLite)', () => {
  it('migrates the quarter rows of an older file into their day row', async () => {
    const store = createSqliteStore({ filename: ':memory:' });
    migrateUpTo(store, 'ADD COLUMN q0 ');
    const put = store.db.prepare('INSERT INTO rm_sums (org, env, kind, content_id, metric, gran, bucket, dim, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const other = (r: SumDelta): SumDelta => ({ ...r, dim: 'review' });
    const old = [d(5), q(0, 2), q(95, 3), d(1, DAY + DAY_MS), q(40, 1, DAY + DAY_MS), other(d(2)), other(q(0, 1)), other(q(1, 1))];
    for (const r of old) put.run(r.orgKey, r.env, r.contentKind, r.contentId, r.metric, r.gran, r.bucket, r.dim, r.value);
    await store.migrate();
    const rows = bucketRows(store.db.prepare('SELECT * FROM rm_sums').all() as Record<string, unknown>[]);
    expect(rows.every((r) => r.gran === 'd' || r.gran === 'q')).toBe(true);
    expect(store.db.prepare("SELECT count(*) FROM rm_sums WHERE gran = 'q'").pluck().get()).toBe(0);
    expect(sorted(rows)).toEqual(sorted(old.map((r) => ({ kind: r.contentKind, content_id: r.contentId, metric: r.metric, gran: r.gran, bucket: r.bucket, dim: r.dim, value: r.value }))));
    await store.close();
  });

  it('packs deltas per cell and day, adds them up, drops a row back at zero, and reads quarters back', async () => {
    expect(packByDay([d(2), q(3, 1), q(4, 1), q(10, -1), d(1, DAY + DAY_MS), q(1, 1, DAY + DAY_MS)]).map((p) => [p.day.bucket, p.day.value, [...p.quarters]]))
      .toEqual([[DAY, 2, [[3, 1], [4, 1], [10, -1]]], [DAY + DAY_MS, 1, [[1, 1]]]]);
    expect(quarterRuns([])).toEqual([[0, 0]]);
    expect(quarterRuns([3, 4, 9, 30])).toEqual([[0, 16], [24, 8]]);
    expect(quarterRuns(Array.from({ length: 20 }, (_, i) => i))).toEqual([[0, 16], [16, 8]]);
    expect(quarterRuns([7, 8, 95])).toEqual([[0, 16], [88, 8]]);
    const store = createSqliteStore({ filename: ':memory:' });
    await store.migrate();
    const write = createQuarterWriter(store.db);
    write([d(3), q(3, 2), q(4, 1)]);
    write([d(0), q(3, -1), q(7, 1)]); // a session moved from quarter 3 to 7, same day
    const all = (sql: string, params: unknown[]) => store.db.prepare(sql).safeIntegers(true).all(...params) as Record<string, unknown>[];
    const read = (quarters: number[]) => readQuarterRows(all, { orgKey: 'acme', env: 'prod', contentKind: 'journey', contentIds: ['grant'], metrics: ['j_step'], quarters })
      .map((r) => [r.bucket, r.value]);
    expect(read([DAY + 3 * QUARTER_MS, DAY + 4 * QUARTER_MS, DAY + 7 * QUARTER_MS, DAY + 8 * QUARTER_MS])).toEqual([[DAY + 3 * QUARTER_MS, 1], [DAY + 4 * QUARTER_MS, 1], [DAY + 7 * QUARTER_MS, 1]]);
    expect(read([DAY + 4 * QUARTER_MS])).toEqual([[DAY + 4 * QUARTER_MS, 1]]);
    write([d(2), q(90, 1), q(10, 1)]); // two runs of columns, far apart
    expect(read([DAY + 10 * QUARTER_MS, DAY + 90 * QUARTER_MS])).toEqual([[DAY + 10 * QUARTER_MS, 1], [DAY + 90 * QUARTER_MS, 1]]);
    // the read is a key list of the primary key
    let plan = '';
    readQuarterRows((sql, params) => {
      plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail).join(' | ');
      return [];
    }, { orgKey: 'acme', env: 'prod', contentKind: 'journey', contentIds: ['grant'], metrics: ['j_step'], quarters: [DAY + QUARTER_MS, DAY + DAY_MS + QUARTER_MS] });
    expect(plan).toMatch(/^SEARCH rm_sums USING PRIMARY KEY \(org=\? AND env=\? AND kind=\? AND content_id=\? AND metric=\? AND gran=\? AND bucket=\?\)$/);
    write([d(-5), q(3, -1), q(4, -1), q(7, -1), q(10, -1), q(90, -1)]); // everything retracted (a deletion)
    expect(store.db.prepare('SELECT count(*) FROM rm_sums').pluck().get()).toBe(0);
    await store.close();
  });

  it('keeps two quarters per column exactly, up to two billion each, whatever the order and sign of the deltas', async () => {
    const store = createSqliteStore({ filename: ':memory:' });
    await store.migrate();
    const write = createQuarterWriter(store.db);
    const big = 2 ** 31 - 1;
    // the odd quarter past 2^21 makes its column pass 2^53; a retraction in between borrows across the lanes
    write([d(big + 3), q(4, 3), q(5, big)]);
    write([d(-2), q(4, -2)]);
    write([d(-1), q(5, -1)]);
    write([d(1), q(4, 1)]);
    const all = (sql: string, params: unknown[]) => store.db.prepare(sql).safeIntegers(true).all(...params) as Record<string, unknown>[];
    const read = readQuarterRows(all, { orgKey: 'acme', env: 'prod', contentKind: 'journey', contentIds: ['grant'], metrics: ['j_step'], quarters: [4, 5, 6].map((i) => DAY + i * QUARTER_MS) });
    expect(read.map((r) => [r.bucket, r.value])).toEqual([[DAY + 4 * QUARTER_MS, 2], [DAY + 5 * QUARTER_MS, big - 1]]);
    expect(store.db.prepare('SELECT value FROM rm_sums').pluck().get()).toBe(big + 1);
    await store.close();
  });
});
