/**
 * The processor side on PostgreSQL. A claim is one transaction: `FOR UPDATE SKIP LOCKED` takes
 * the oldest unclaimed outbox rows (other processors skip them and take the next ones), the shared
 * aggregator turns them into counters / activity / pixel updates in memory, `applyAggregation`
 * writes them, and the claimed rows are deleted. A processor that dies before COMMIT releases its
 * rows untouched; one that commits has counted them exactly once.
 *
 * `rebuildRollups` takes the same advisory lock exclusively that every claim takes shared, so no
 * claim is in flight while counters are recomputed; events still in the outbox are left to the
 * processors (counting them in the rebuild as well would count them twice).
 */
import type pg from 'pg';
import type { Aggregator } from '../types';
import { applyAggregation, applyCounters } from './apply';
import { inTransaction } from './pool';
import { rowToEvent, type PgRawRow } from './rows';
import { resetReadModelsFrom } from './readmodel';

/** Taken shared by every claim, exclusively by rebuilds and user deletions. */
export const ROLLUPS_LOCK = "hashtext(current_schema() || ':waymark:rollups')";

export async function processOutbox(pool: pg.Pool, limit: number, aggregate: Aggregator): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock_shared(${ROLLUPS_LOCK})`);
    const { rows } = await client.query<PgRawRow & { raw_seq: number }>({
      name: 'waymark_claim',
      text: 'SELECT * FROM outbox ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED',
      values: [limit],
    });
    if (rows.length === 0) return 0;
    // The aggregator sees the raw event's own seq, as on SQLite.
    await applyAggregation(client, aggregate(rows.map((r) => rowToEvent({ ...r, seq: r.raw_seq }))));
    await client.query({ name: 'waymark_ack', text: 'DELETE FROM outbox WHERE seq = ANY($1::bigint[])', values: [rows.map((r) => r.seq)] });
    return rows.length;
  });
}

export async function rebuildRollups(pool: pg.Pool, fromTs: number, aggregate: Aggregator): Promise<number> {
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
          ORDER BY r.seq LIMIT 5000`,
        [fromTs, after],
      );
      if (rows.length === 0) break;
      await applyAggregation(client, { ...aggregate(rows.map(rowToEvent)), activity: [], pixel: [] });
      after = rows[rows.length - 1]!.seq;
      total += rows.length;
    }
    return total;
  });
}
