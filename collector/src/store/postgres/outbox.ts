/**
 * The processor side on PostgreSQL. A claim is one transaction: `FOR UPDATE SKIP LOCKED` takes
 * the oldest unclaimed outbox rows (other processors skip them and take the next ones), the shared
 * aggregator turns them into counters / activity / pixel updates in memory, `applyAggregation`
 * writes them, and the claimed rows are deleted. A processor that dies before COMMIT releases its
 * rows untouched; one that commits has counted them exactly once.
 *
 * `rebuildRollups` takes the same advisory lock exclusively that every claim takes shared, so no
 * claim is in flight while counters are recomputed; events still in the outbox are left to the
 * processors (counting them in the rebuild as well would count them twice), and dead letters,
 * never counted, are left out too.
 */
import type pg from 'pg';
import type { Aggregator } from '../types';
import { analyze, ROLLUP_TABLES } from './analyze';
import { applyAggregation, applyCounters } from './apply';
import { applyIsolated, type ApplyStep } from './dead-letters';
import { discardErased } from './erasure';
import { ROLLUPS_LOCK } from './locks';
import { inTransaction } from './pool';
import { rowToEvent, type PgRawRow } from './rows';
import { resetReadModelsFrom } from './readmodel';

export { ROLLUPS_LOCK } from './locks';

/** The processor's apply step: everything for a list of claimed events, in the client's transaction. */
export const applyEvents: ApplyStep = (client, events, aggregate) => applyAggregation(client, aggregate(events));

export async function processOutbox(pool: pg.Pool, limit: number, aggregate: Aggregator): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock_shared(${ROLLUPS_LOCK})`);
    // `erased`: stored while its user was being erased (the append's snapshot predates the tombstone)
    const { rows } = await client.query<PgRawRow & { raw_seq: number; erased: boolean }>({
      name: 'waymark_claim',
      text: `SELECT o.*, EXISTS (SELECT 1 FROM tombstones t WHERE t.org = o.org AND t.client_id = o.client_id) AS erased
               FROM outbox o ORDER BY o.seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      values: [limit],
    });
    if (rows.length === 0) return 0;
    await discardErased(client, rows.filter((r) => r.erased));
    // The aggregator sees the raw event's own seq, as on SQLite. Isolated: an event that cannot be
    // applied goes to the dead letters, the rest is applied.
    const live = rows.filter((r) => !r.erased).map((r) => rowToEvent({ ...r, seq: r.raw_seq }));
    if (live.length) await applyIsolated(client, live, aggregate, applyEvents);
    await client.query({ name: 'waymark_ack', text: 'DELETE FROM outbox WHERE seq = ANY($1::bigint[])', values: [rows.map((r) => r.seq)] });
    return rows.length;
  });
}

export async function rebuildRollups(pool: pg.Pool, fromTs: number, aggregate: Aggregator): Promise<number> {
  const n = await rebuildInTransaction(pool, fromTs, aggregate);
  // every counter and read-model row from fromTs on was rewritten: fresh statistics for their reads
  await analyze(pool, ROLLUP_TABLES);
  return n;
}

function rebuildInTransaction(pool: pg.Pool, fromTs: number, aggregate: Aggregator): Promise<number> {
  const day = new Date(fromTs).toISOString().slice(0, 10);
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${ROLLUPS_LOCK})`);
    await client.query(
      `DELETE FROM counters WHERE (granularity = 'day' AND period >= $1) OR (granularity = 'hour' AND period >= $2) OR (granularity = 'minute' AND period >= $3)`,
      [day, `${day}T00`, `${day}T00:00`],
    );
    await applyCounters(client, await resetReadModelsFrom(client, fromTs));
    let after = 0;
    let total = 0;
    for (;;) {
      const { rows } = await client.query<PgRawRow>(
        `SELECT r.* FROM raw_events r
          WHERE r.ts >= $1 AND r.seq > $2 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.raw_seq = r.seq)
            AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.raw_seq = r.seq)
          ORDER BY r.seq LIMIT 5000`,
        [fromTs, after],
      );
      if (rows.length === 0) break;
      await applyAggregation(client, { ...aggregate(rows.map(rowToEvent)), activity: [], pixel: [] });
      after = rows[rows.length - 1]!.seq;
      total += rows.length;
    }
    await client.query('UPDATE rm_fill SET pending = false');
    return total;
  });
}
