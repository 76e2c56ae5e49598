/**
 * Query plans of the hot reads on PostgreSQL, on a fresh schema whose tables hold rows but no
 * statistics beyond what the collector itself gathers (autovacuum may be off): an export page,
 * activity-feed pages and a user's deletion each read one range of their intended index, and
 * nothing sorts or scans raw events sequentially, on the first page as on a page deep in. Also:
 * the statistics the collector gathers itself (new partitions, after a purge) and the outbox vacuum.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate } from '../../src/rollups/aggregate';
import { DELETE_USER_EVENTS_SQL, USER_EVENTS_SQL } from '../../src/store/postgres/analytics-delete';
import { activityPageSql, EXPORT_PAGE_SQL } from '../../src/store/postgres/analytics-feed';
import { createPostgresStore, type PostgresStore } from '../../src/store/postgres/index';
import { rangeRead } from '../../src/store/postgres/range-read';
import { pixelEvent, tourEvent } from './fixtures';
import { createTestSchema, type TestSchema } from './pg-test-db';

const db = await createTestSchema('wm_plan');
const T0 = Date.UTC(2026, 10, 1);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe.skipIf(!db)('PostgreSQL plans of the hot reads, without statistics', () => {
  const t = db as TestSchema;
  let store: PostgresStore;

  /** The plan's nodes, each index named by its partitioned parent (a partition's index has a generated name). */
  async function plan(sql: string, values: unknown[]): Promise<{ types: string[]; scans: { type: string; relation: string; index?: string }[] }> {
    // planned as the store runs them: under the statement-local settings of rangeRead
    const { rows } = await rangeRead<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(store.pool, `EXPLAIN (FORMAT JSON) ${sql}`, values);
    const all = nodes(rows[0]!['QUERY PLAN'][0]!.Plan);
    const root = async (name: string) =>
      (await store.pool.query<{ r: string }>('SELECT coalesce(pg_partition_root(to_regclass($1)), to_regclass($1))::regclass::text AS r', [name])).rows[0]!.r;
    const scans = [];
    for (const n of all.filter((x) => x['Relation Name'])) {
      scans.push({ type: n['Node Type'], relation: await root(n['Relation Name']!), index: n['Index Name'] && (await root(n['Index Name'])) });
    }
    return { types: all.map((n) => n['Node Type']), scans };
  }

  function expectRangeOf(p: Awaited<ReturnType<typeof plan>>, relation: string, index: string) {
    expect(p.types, 'no sort on top of the index order').not.toContain('Sort');
    expect(p.types).not.toContain('Incremental Sort');
    expect(p.scans.length, `scans: ${JSON.stringify(p.scans)}`).toBeGreaterThan(0);
    for (const s of p.scans) {
      expect(s, `every scan of ${relation} is on ${index}: ${JSON.stringify(p.scans)}`).toMatchObject({ relation, index });
      expect(['Index Scan', 'Index Only Scan']).toContain(s.type);
    }
  }

  beforeAll(async () => {
    // events arrive over three days, so several daily partitions of both sources hold rows (at scale
    // every one of the 90 does): two orgs, many users and sessions, a month of event time
    let now = Date.now() - 2 * 86_400_000;
    store = createPostgresStore({ url: t.url, schema: t.schema, now: () => now });
    await store.migrate();
    const events = Array.from({ length: 6000 }, (_, i) =>
      i % 10 === 9
        ? pixelEvent(i, { sid: `p_${i % 40}`, uid: `c_${i % 300}`, ts: T0 + i * 400_000, props: {} })
        : tourEvent(i, { org: i % 4 === 0 ? 'other' : 'acme', ts: T0 + i * 400_000, client: `c_${i % 300}` }),
    );
    for (let i = 0; i < events.length; i += 500) {
      if (i % 2000 === 0 && i > 0) now += 86_400_000;
      await store.append(events.slice(i, i + 500));
    }
    while ((await store.processOutbox(1000, aggregate)) > 0);
    const { rows } = await store.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stats WHERE schemaname = current_schema() AND (tablename IN ('raw_events', 'activity') OR tablename LIKE 'raw_events\\_%')`,
    );
    expect(rows[0]!.n, 'the tables have no column statistics').toBe(0);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await t.drop();
  });

  it('reads an export page as one range of raw_events_export, first page and deep page alike', async () => {
    const first = await plan(EXPORT_PAGE_SQL, ['acme', 'prod', T0 - 1, Number.MAX_SAFE_INTEGER, T0 + 30 * 86_400_000, 1000]);
    expectRangeOf(first, 'raw_events', 'raw_events_export');
    const deep = await plan(EXPORT_PAGE_SQL, ['acme', 'prod', T0 + 20 * 86_400_000, 4000, T0 + 30 * 86_400_000, 1000]);
    expectRangeOf(deep, 'raw_events', 'raw_events_export');
  });

  it('reads activity-feed pages by user, session and content as ranges of their indexes', async () => {
    const cur = [T0 + 10 * 86_400_000, 'ev_3000'];
    expectRangeOf(await plan(activityPageSql('user'), ['acme', 'c_7', ...cur, 'prod', 50]), 'activity', 'activity_pkey');
    expectRangeOf(await plan(activityPageSql('session'), ['acme', 's_3', ...cur, 'prod', 50]), 'activity', 'activity_session_page');
    expectRangeOf(await plan(activityPageSql('content'), ['acme', 'tour', 'tour_1', ...cur, 'prod', 50]), 'activity', 'activity_content_page');
    const first = [Number.MAX_SAFE_INTEGER, ''];
    expectRangeOf(await plan(activityPageSql('content'), ['acme', 'tour', 'tour_1', ...first, 'prod', 50]), 'activity', 'activity_content_page');
  });

  it("finds and deletes a user's raw events through raw_events_client", async () => {
    for (const sql of [USER_EVENTS_SQL, DELETE_USER_EVENTS_SQL]) {
      const p = await plan(sql, ['acme', 'c_7']);
      expect(p.types).not.toContain('Seq Scan');
      const indexes = p.scans.filter((s) => s.relation === 'raw_events' && s.index);
      expect(indexes.length, JSON.stringify(p.scans)).toBeGreaterThan(0);
      for (const s of indexes) expect(s, JSON.stringify(p.scans)).toMatchObject({ index: 'raw_events_client' });
    }
  });

  // last: the purge gathers statistics, which the plan tests above must not have
  it('analyzes every daily partition it creates, and the tables a purge changed', async () => {
    const analyzed = async (like: string) =>
      (await store.pool.query<{ relname: string; at: Date | null }>(
        'SELECT relname, last_analyze AS at FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname LIKE $1', [like],
      )).rows;
    const parts = await analyzed('raw\\_events\\_%\\_p%');
    expect(parts.length).toBeGreaterThanOrEqual(8);
    for (const p of parts) expect(p.at, p.relname).not.toBeNull();
    expect((await analyzed('event_ids'))[0]!.at).toBeNull();
    await store.purgeExpired({ sdkBefore: T0, pixelBefore: T0, activityBefore: T0 });
    expect((await analyzed('event_ids'))[0]!.at).not.toBeNull();
    expect((await analyzed('activity'))[0]!.at).not.toBeNull();
  });
});

describe.skipIf(!db)('PostgreSQL outbox without autovacuum', () => {
  it('stays small: the processor vacuums the queue it empties', async () => {
    const s = await createTestSchema('wm_vac');
    const store = createPostgresStore({ url: s!.url, schema: s!.schema });
    await store.migrate();
    // 60,000 events through the outbox, 2,000 at a time, as the processor claims them
    for (let round = 0; round < 30; round++) {
      await store.append(Array.from({ length: 2000 }, (_, i) => tourEvent(round * 2000 + i, { id: `v_${round}_${i}`, ts: T0 + i })));
      while ((await store.processOutbox(2000, aggregate)) > 0);
    }
    await store.close(); // waits for a vacuum in flight
    const again = createPostgresStore({ url: s!.url, schema: s!.schema });
    const bytes = Number((await again.pool.query<{ b: string }>("SELECT pg_relation_size('outbox') AS b")).rows[0]!.b);
    // without the vacuum the empty queue keeps every row it ever held (≈ 60,000 × 400 B)
    expect(bytes).toBeLessThan(8 * 1024 * 1024);
    await again.close();
    await s!.drop();
  }, 120_000);
});
