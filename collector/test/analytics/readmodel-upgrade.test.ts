// waymark-test-store: both-engines
/**
 * An installation upgraded from a version without read models: its SQLite file already holds raw
 * events and counters, and the collector fills the read models from the retained raw events when it
 * starts (no manual `rebuild-rollups`), once. The same after `migrate-data` into PostgreSQL, which
 * copies raw events and counters only. Either way the read models and counters equal those of an
 * installation that had read models from the start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { END, batches } from '../../bench/analytics-events';
import { createCollector } from '../../src/app';
import { aggregate } from '../../src/rollups/aggregate';
import { decodeCountsInto } from '../../src/rollups/sketch';
import { createPostgresStore } from '../../src/store/postgres/index';
import { migrateData } from '../../src/store/postgres/migrate-data';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite/index';
import { migrateUpTo } from '../helpers/sqlite';
import type { Aggregator, RawEvent, Store } from '../../src/store/types';
import { createTestSchema } from '../postgres/pg-test-db';
import { bucketRows, loggedDeltas, withLogged, withLoggedSketches, type SketchTestRow } from '../helpers/rm-sums';

const dir = mkdtempSync(join(tmpdir(), 'waymark-rm-upgrade-'));
const pgSchema = await createTestSchema('wmrmup');
afterAll(async () => {
  await pgSchema?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const config = { orgs: [{ key: 'bench', apiKeys: ['sk_live_0123456789abcdef'] }] };
const logger = pino({ level: 'silent' });
// two days of journey and tour sessions, each in two batches (the second several sessions later)
const traffic: RawEvent[][] = [...batches(3000, { days: 2 })];
/** The processor of a version without read models: counters only, every `session_end` counted by them. */
const oldProcessor: Aggregator = (events, options) => aggregate(events, { ...options, readModels: false });

async function rows(store: Store, sql: string): Promise<Record<string, unknown>[]> {
  if (store.engine === 'sqlite') return (store as SqliteStore).db.prepare(sql).all() as Record<string, unknown>[];
  const { rows: r } = await (store as unknown as { pool: { query(s: string): Promise<{ rows: Record<string, unknown>[] }> } }).pool.query(sql);
  return r;
}

const canonical = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, canonical(x)])) : v;

/** Read models and counters, in a stable order. */
async function snapshot(s: Store) {
  const entities = (await rows(s, 'SELECT org, env, kind, content_id, entity_id, client_id, start_ts, end_ts, state FROM rm_entities'))
    .map((r) => JSON.stringify({ ...r, start_ts: Number(r.start_ts), end_ts: r.end_ts === null ? null : Number(r.end_ts), state: canonical(JSON.parse(String(r.state))) }))
    .sort();
  const log = await loggedDeltas(s);
  const sums = withLogged(bucketRows(await rows(s, 'SELECT * FROM rm_sums')), log)
    .filter((r) => Number(r.value) !== 0).map((r) => `${r.kind}|${r.content_id}|${r.metric}|${r.gran}|${Number(r.bucket)}|${r.dim}=${Number(r.value)}`).sort();
  const sketches = withLoggedSketches((await rows(s, 'SELECT kind, content_id, metric, gran, bucket, dim, counts FROM rm_sketches')) as unknown as SketchTestRow[], log)
    .map((r) => `${r.kind}|${r.content_id}|${r.metric}|${r.gran}|${Number(r.bucket)}|${r.dim}=${JSON.stringify([...decodeCountsInto(new Map(), r.counts as Uint8Array)].sort((a, b) => a[0] - b[0]))}`)
    .sort();
  const contents = (await rows(s, 'SELECT kind, content_id FROM rm_contents')).map((r) => `${r.kind}|${r.content_id}`).sort();
  const counters = (await s.readCounters({})).filter((c) => c.value !== 0).map((c) => JSON.stringify(c)).sort();
  return { entities, sums, sketches, contents, counters };
}

async function fill(store: Store, aggregator: Aggregator): Promise<void> {
  for (const b of traffic) await store.append(b);
  while ((await store.processOutbox(500, aggregator)) > 0);
}

/** A file as a version without read models left it: the schema before the read models, counted by the old processor. */
async function oldInstallation(file: string): Promise<void> {
  const old = createSqliteStore({ filename: file });
  migrateUpTo(old, 'CREATE TABLE rm_entities');
  await fill(old, oldProcessor);
  await old.close();
}

/** The reference: the same traffic through a collector that had read models from the start. */
async function reference(file: string) {
  const store = createSqliteStore({ filename: file });
  await store.migrate();
  await fill(store, aggregate);
  expect(await store.readModelsPending()).toBe(false);
  return store;
}

describe('upgrade from a database without read models', () => {
  it('SQLite: the collector fills them from the raw events as it starts, once, equal to having had them all along', async () => {
    const want = await reference(join(dir, 'reference.db'));
    const expected = await snapshot(want);
    expect(expected.entities.length).toBeGreaterThan(100);
    await want.close();

    const file = join(dir, 'old.db');
    await oldInstallation(file);
    const upgraded = createSqliteStore({ filename: file });
    const collector = await createCollector({ config, store: upgraded, logger, inProcessProcessor: false, scheduleRetention: false, now: () => END });
    expect(await upgraded.readModelsPending()).toBe(false);
    expect(await snapshot(upgraded)).toEqual(expected);
    await collector.close();

    // a second start has nothing to fill (and a fresh database never had anything to fill)
    const again = createSqliteStore({ filename: file });
    await again.migrate();
    expect(await again.readModelsPending()).toBe(false);
    await again.close();
  });

  it.skipIf(!pgSchema)('PostgreSQL after migrate-data: the collector fills them as it starts', async () => {
    const source = await reference(join(dir, 'source.db'));
    const expected = await snapshot(source);
    await source.close();

    await migrateData({ from: join(dir, 'source.db'), to: pgSchema!.url, schema: pgSchema!.schema });
    const pg = createPostgresStore({ url: pgSchema!.url, schema: pgSchema!.schema });
    expect(await pg.readModelsPending()).toBe(true);
    const collector = await createCollector({ config, store: pg, logger, inProcessProcessor: false, scheduleRetention: false, now: () => END });
    expect(await pg.readModelsPending()).toBe(false);
    expect(await snapshot(pg)).toEqual(expected);
    await collector.close();
  });
});
