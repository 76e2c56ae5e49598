/**
 * The scale-out store: PostgreSQL through node-postgres. Any number of collector processes and
 * processor processes can share one database (see `append.ts` for ingest and idempotency,
 * `outbox.ts` for claims, `purge.ts` for partition-based retention).
 */
import type pg from 'pg';
import type { Store } from '../types';
import { createPostgresAnalytics } from './analytics';
import { appendBatch, isMissingPartition, parentsFor } from './append';
import { migrate } from './migrate';
import { createPostgresDeadLetters } from './dead-letters';
import { createOutboxVacuum } from './analyze';
import { applyEvents, processOutbox, rebuildRollups } from './outbox';
import { createPartitionCache } from './partitions';
import { createPool, type PostgresConnectionOptions } from './pool';
import { purgeExpired } from './purge';
import { listEvents, listJourneySettings, readCounters, saveJourneySettings } from './queries';
import { pixelFromRow, type PgPixelRow } from './rows';

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions extends PostgresConnectionOptions {
  /** current time in ms, decides the `received_at` partition (tests may pin it) */
  now?: () => number;
}

/** A {@link Store} with access to its pool (for the read queries in `analytics*.ts`). */
export interface PostgresStore extends Store {
  readonly engine: 'postgres';
  readonly pool: pg.Pool;
  /** the schema it works in (`public` unless configured) */
  readonly schema: string;
}

/** Opens a pool to PostgreSQL. Call `migrate()` before use (idempotent; safe from several processes at once). */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const pool = createPool(options);
  const now = options.now ?? Date.now;
  const partitions = createPartitionCache(pool);
  const outboxVacuum = createOutboxVacuum(pool);

  const append: Store['append'] = async (events) => {
    if (events.length === 0) return { inserted: 0, duplicates: 0 };
    const receivedAt = now();
    for (let attempt = 0; ; attempt++) {
      for (const parent of parentsFor(events)) await partitions.ensure(parent, receivedAt);
      try {
        return await appendBatch(pool, events, receivedAt);
      } catch (err) {
        // A partition dropped by retention behind our cache (clock pinned in tests): forget and retry once.
        if (attempt > 0 || !isMissingPartition(err)) throw err;
        partitions.reset();
      }
    }
  };

  const store: PostgresStore = {
    engine: 'postgres',
    pool,
    schema: options.schema ?? 'public',
    analytics: createPostgresAnalytics(pool),
    deadLetters: createPostgresDeadLetters(pool, applyEvents),
    async migrate() {
      await migrate(pool, options.schema);
      partitions.reset();
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    append,
    async processOutbox(limit, aggregate) {
      const n = await processOutbox(pool, limit, aggregate);
      outboxVacuum.acked(n);
      return n;
    },
    async outboxBacklog() {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*) AS n FROM outbox');
      return rows[0]!.n;
    },
    async oldestPendingAt() {
      const { rows } = await pool.query<{ received_at: number }>('SELECT received_at FROM outbox ORDER BY seq LIMIT 1');
      return rows[0]?.received_at ?? null;
    },
    rebuildRollups: (fromTs, aggregate) => rebuildRollups(pool, fromTs, aggregate),
    async readModelsPending() {
      const { rows } = await pool.query<{ pending: boolean }>('SELECT pending FROM rm_fill');
      return rows[0]?.pending === true;
    },
    purgeExpired: (cutoffs) => purgeExpired(pool, cutoffs, partitions.reset),
    listEvents: (q) => listEvents(pool, q),
    async countEvents(orgKey) {
      const { rows } =
        orgKey === undefined
          ? await pool.query<{ n: number }>('SELECT count(*) AS n FROM raw_events')
          : await pool.query<{ n: number }>('SELECT count(*) AS n FROM raw_events WHERE org = $1', [orgKey]);
      return rows[0]!.n;
    },
    readCounters: (q) => readCounters(pool, q),
    async getPixelRecord(kind, orgKey, id) {
      const { rows } = await pool.query<PgPixelRow>('SELECT * FROM pixel_records WHERE org = $1 AND kind = $2 AND id = $3', [
        orgKey,
        kind === 'session' ? 's' : 'u',
        id,
      ]);
      return rows[0] && pixelFromRow(rows[0]);
    },
    listJourneySettings: () => listJourneySettings(pool),
    saveJourneySettings: (s) => saveJourneySettings(pool, s),
    async close() {
      await outboxVacuum.idle();
      await pool.end();
    },
  };
  return store;
}

export { isPostgresUrl } from './pool';
