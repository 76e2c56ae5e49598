/**
 * The PostgreSQL store against the SQLite store: the same inputs give the same raw events,
 * counters, activity and pixel records; duplicates are never stored or counted, even when
 * several writers and processors run at once; retention drops whole day partitions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate } from '../../src/rollups/aggregate';
import { createPostgresStore, type PostgresStore } from '../../src/store/postgres/index';
import { migrations } from '../../src/store/postgres/migrations';
import { listPartitions } from '../../src/store/postgres/partitions';
import { createSqliteStore } from '../../src/store/sqlite/index';
import type { RawEvent, Store } from '../../src/store/types';
import { pixelEvent, tourEvent } from './fixtures';
import { createTestSchema, type TestSchema } from './pg-test-db';

const DAY = 86_400_000;
const db = await createTestSchema();

async function drainAll(store: Store) {
  while ((await store.processOutbox(500, aggregate)) > 0);
}
const counters = (s: Store) => s.readCounters({});

describe.skipIf(!db)('PostgreSQL store', () => {
  const t = db as TestSchema;
  const stores: Store[] = [];
  const pgStore = (name: string, now?: () => number) => {
    const s = createPostgresStore({ url: t.url, schema: `${t.schema}_${name}`, now });
    stores.push(s);
    return s;
  };
  const sqlite = () => {
    const s = createSqliteStore({ filename: ':memory:' });
    stores.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of stores) await s.close();
    const pg = createPostgresStore({ url: t.url });
    const { rows } = await pg.pool.query<{ n: string }>(`SELECT nspname AS n FROM pg_namespace WHERE nspname LIKE $1`, [`${t.schema}%`]);
    for (const r of rows) await pg.pool.query(`DROP SCHEMA "${r.n}" CASCADE`);
    await pg.close();
    await t.drop();
  });

  it('migrates idempotently, also from several processes at once', async () => {
    const a = pgStore('mig');
    const b = createPostgresStore({ url: t.url, schema: `${t.schema}_mig` });
    stores.push(b);
    await Promise.all([a.migrate(), b.migrate(), a.migrate()]);
    const { rows } = await (a as PostgresStore).pool.query('SELECT count(*)::int AS n FROM waymark_migrations');
    expect(rows[0].n).toBe(migrations.length);
  });

  it('stores, deduplicates and counts exactly like SQLite', async () => {
    const pg = pgStore('same');
    const lite = sqlite();
    await pg.migrate();
    await lite.migrate();
    const events = Array.from({ length: 300 }, (_, i) => tourEvent(i));
    const batches: RawEvent[][] = [events.slice(0, 120), events.slice(100, 250), events.slice(240), [events[5]!, events[5]!, events[6]!]];
    const pixels = [
      pixelEvent(1, { sid: 'S1', uid: 'U1', ts: 2000, props: { a: '1', b: 'x' } }),
      pixelEvent(2, { sid: 'S1', uid: 'U1', ts: 1000, props: { a: 'old', c: 'c' } }),
      pixelEvent(3, { sid: 'S2', uid: 'U1', ts: 3000, props: { b: 'y' } }),
    ];
    for (const s of [pg, lite]) {
      const results = [];
      for (const b of batches) results.push(await s.append(b));
      results.push(await s.append(pixels.slice(0, 2)), await s.append(pixels.slice(1)));
      expect(results.map((r) => r.inserted)).toEqual([120, 130, 50, 0, 2, 1]);
      expect(results.map((r) => r.duplicates)).toEqual([0, 20, 10, 3, 0, 1]);
      await drainAll(s);
    }
    expect(await pg.countEvents()).toBe(303);
    expect(await counters(pg)).toEqual(await counters(lite));
    for (const [kind, id] of [['session', 'S1'], ['session', 'S2'], ['user', 'U1']] as const) {
      expect(await pg.getPixelRecord(kind, 'acme', id)).toEqual(await lite.getPixelRecord(kind, 'acme', id));
    }
    expect((await pg.getPixelRecord('user', 'acme', 'U1'))!.props).toEqual({ a: '1', b: 'y', c: 'c' });
    const strip = (e: { receivedAt: number; seq: number }) => ({ ...e, receivedAt: 0, seq: 0 });
    const all = { limit: 1000 };
    expect((await pg.listEvents(all)).map(strip)).toEqual((await lite.listEvents(all)).map(strip));
    expect(await pg.outboxBacklog()).toBe(0);
  });

  it('never stores or counts an event twice under concurrent writers and processors', async () => {
    const writers = [pgStore('conc'), createPostgresStore({ url: t.url, schema: `${t.schema}_conc` }), createPostgresStore({ url: t.url, schema: `${t.schema}_conc` })];
    stores.push(writers[1]!, writers[2]!);
    await Promise.all(writers.map((w) => w.migrate()));
    const events = Array.from({ length: 3000 }, (_, i) => tourEvent(i));
    // every event is sent three times, by different writers, in different orders and batchings
    const jobs = writers.flatMap((w, k) => {
      const order = k === 1 ? [...events].reverse() : k === 2 ? events.filter((_, i) => i % 2).concat(events.filter((_, i) => !(i % 2))) : events;
      return Array.from({ length: Math.ceil(order.length / 50) }, (_, b) => () => w.append(order.slice(b * 50, b * 50 + 50)));
    });
    const processing = (async () => {
      for (let i = 0; i < 200; i++) await Promise.all(writers.slice(0, 2).map((w) => w.processOutbox(100, aggregate)));
    })();
    const results = await Promise.all(jobs.map((j) => j()));
    await processing;
    await Promise.all(writers.map(drainAll));
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(3000);
    expect(await writers[0]!.countEvents()).toBe(3000);
    const lite = sqlite();
    await lite.migrate();
    await lite.append(events);
    await drainAll(lite);
    expect(await counters(writers[0]!)).toEqual(await counters(lite));
  });

  it('lets six processors claim side by side on the same hot counters without deadlock or double count', async () => {
    const pg = pgStore('hot');
    await pg.migrate();
    // few tours and hours: every claim touches the same counter rows, in different event orders
    const events = Array.from({ length: 4000 }, (_, i) => tourEvent(i, { tour: `hot_${i % 2}`, ts: Date.UTC(2026, 10, 20, i % 2) }));
    for (let i = 0; i < events.length; i += 200) await pg.append(events.slice(i, i + 200).reverse());
    const processors = Array.from({ length: 6 }, () => createPostgresStore({ url: t.url, schema: `${t.schema}_hot`, max: 2 }));
    stores.push(...processors);
    const claimed = await Promise.all(
      processors.map(async (p) => {
        let n = 0;
        for (let k; (k = await p.processOutbox(37, aggregate)) > 0; ) n += k;
        return n;
      }),
    );
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(4000);
    expect(claimed.filter((n) => n > 0).length).toBeGreaterThan(1);
    const lite = sqlite();
    await lite.migrate();
    await lite.append(events);
    await drainAll(lite);
    expect(await counters(pg)).toEqual(await counters(lite));
  });

  it('rebuilds counters equal to the incremental ones, leaving pending events to the processors', async () => {
    const pg = pgStore('rebuild');
    await pg.migrate();
    await pg.append(Array.from({ length: 500 }, (_, i) => tourEvent(i)));
    await drainAll(pg);
    const incremental = await counters(pg);
    await pg.append(Array.from({ length: 50 }, (_, i) => tourEvent(1000 + i)));
    expect(await pg.rebuildRollups(Date.UTC(2026, 0, 1), aggregate)).toBe(500);
    expect(await counters(pg)).toEqual(incremental);
    await drainAll(pg);
    const lite = sqlite();
    await lite.migrate();
    await lite.append([...Array.from({ length: 500 }, (_, i) => tourEvent(i)), ...Array.from({ length: 50 }, (_, i) => tourEvent(1000 + i))]);
    await drainAll(lite);
    expect(await counters(pg)).toEqual(await counters(lite));
  });

  it('drops whole day partitions past retention, keeps hour and day counters, and forgets the dropped ids', async () => {
    let now = Date.now() - 100 * DAY;
    const pg = pgStore('retention', () => now) as PostgresStore;
    await pg.migrate();
    const old = Array.from({ length: 40 }, (_, i) => tourEvent(i, { ts: now - 1000 }));
    await pg.append(old);
    now += 50 * DAY;
    await pg.append(Array.from({ length: 10 }, (_, i) => tourEvent(100 + i, { ts: now })));
    await drainAll(pg);
    const before = await counters(pg);
    const oldDay = new Date(now - 50 * DAY).toISOString().slice(0, 10);
    expect((await listPartitions(pg.pool, 'raw_events_sdk')).map((p) => p.day)).toContain(oldDay);

    const cutoff = Date.now() - 90 * DAY;
    const cutoffs = { sdkBefore: cutoff, pixelBefore: cutoff + 30 * DAY, activityBefore: cutoff };
    // two collectors purging at the same moment: each day is dropped once, no error
    const other = createPostgresStore({ url: t.url, schema: `${t.schema}_retention` });
    stores.push(other);
    const [r, r2] = await Promise.all([pg.purgeExpired(cutoffs), other.purgeExpired(cutoffs)]);
    expect(r.rawEvents + r2.rawEvents).toBe(40);
    expect((await listPartitions(pg.pool, 'raw_events_sdk')).map((p) => p.day)).not.toContain(oldDay);
    expect(await pg.countEvents()).toBe(10);
    // minute counters (the live figure's) go with the raw events they count, when no own cut-off is given
    const lastMinute = new Date(cutoff).toISOString().slice(0, 16);
    expect(before.some((c) => c.granularity === 'minute' && c.period < lastMinute)).toBe(true);
    expect(await counters(pg)).toEqual(before.filter((c) => c.granularity !== 'minute' || c.period >= lastMinute));
    const ids = await pg.pool.query('SELECT count(*)::int AS n FROM event_ids');
    expect(ids.rows[0].n).toBe(10);
    // a straggler: arrived today with a client time past retention, deleted row by row
    now = Date.now();
    await pg.append([tourEvent(500, { ts: cutoff - DAY })]);
    expect((await pg.purgeExpired({ sdkBefore: cutoff, pixelBefore: cutoff, activityBefore: cutoff })).rawEvents).toBe(1);
    expect(await pg.countEvents()).toBe(10);
  });
});
