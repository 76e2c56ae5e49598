/**
 * Retention on PostgreSQL. Whole days go with `DROP TABLE` of their partition when every event
 * in it has expired (the normal case: an event's time is close to its arrival); the few
 * stragglers whose client time is older than their arrival day are deleted row by row, so the
 * result is exactly SQLite's `DELETE … WHERE ts < cutoff`. The `event_ids` rows of deleted events
 * go with them, as SQLite's unique index entries do. Minute counters go as on SQLite.
 */
import type pg from 'pg';
import type { EventSource, PurgeCutoffs, PurgeResult } from '../types';
import { RAW_PARENTS } from './migrations';
import { listPartitions } from './partitions';
import { inTransaction } from './pool';
import { purgeErasureState } from './erasure';
import { analyze, RAW_TABLES } from './analyze';
import { minutePeriod } from '../../rollups/env-events';
import { COUNTER_ENVS, COUNTER_ORGS_SQL, minuteCountersDeleteSql } from '../minute-counters-sql';

const DAY_MS = 86_400_000;

async function purgeSource(pool: pg.Pool, source: EventSource, cutoff: number): Promise<{ deleted: number; dropped: number }> {
  const parent = RAW_PARENTS[source];
  let deleted = 0;
  let dropped = 0;
  for (const p of await listPartitions(pool, parent)) {
    if (Date.parse(`${p.day}T00:00:00Z`) + DAY_MS > cutoff) continue;
    await inTransaction(pool, async (client) => {
      // several collectors purge on their own timers: one at a time, and a partition only once
      await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':waymark:purge'))");
      const exists = await client.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [p.name]);
      if (!exists.rows[0]!.r) return;
      // DROP locks the parent table: give up (and retry at the next purge) rather than stall ingest
      await client.query("SET LOCAL lock_timeout = '3s'");
      const live = await client.query(`SELECT 1 FROM ${p.name} WHERE ts >= $1 LIMIT 1`, [cutoff]);
      if (live.rowCount) return; // stragglers from the future: handled row by row below
      const { rows } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${p.name}`);
      await client.query(`DELETE FROM event_ids e USING ${p.name} r WHERE e.org = r.org AND e.event_id = r.event_id`);
      await client.query(`DROP TABLE ${p.name}`);
      deleted += rows[0]!.n;
      dropped++;
    });
  }
  const res = await pool.query<{ n: number }>(
    `WITH gone AS (DELETE FROM ${parent} WHERE ts < $1 RETURNING org, event_id),
          ids AS (DELETE FROM event_ids e USING gone g WHERE e.org = g.org AND e.event_id = g.event_id)
     SELECT count(*) AS n FROM gone`,
    [cutoff],
  );
  return { deleted: deleted + res.rows[0]!.n, dropped };
}

/** Purges expired data; `onDropped` is told when partitions were dropped (the caller's cache). */
export async function purgeExpired(pool: pg.Pool, c: PurgeCutoffs, onDropped: () => void): Promise<PurgeResult> {
  const sdk = await purgeSource(pool, 'sdk', c.sdkBefore);
  const pixel = await purgeSource(pool, 'pixel', c.pixelBefore);
  if (sdk.dropped + pixel.dropped > 0) onDropped();
  const activity = await pool.query('DELETE FROM activity WHERE ts < $1', [c.activityBefore]);
  const pixelRecords = await pool.query('DELETE FROM pixel_records WHERE unixtimestamp < $1', [c.pixelBefore]);
  // tombstones last as long as the longest raw retention; dead letters as long as their raw event
  await purgeErasureState(pool, Math.min(c.sdkBefore, c.pixelBefore));
  const minuteBefore = minutePeriod(c.minuteCountersBefore ?? Math.min(c.sdkBefore, c.pixelBefore));
  let minuteCounters = 0;
  for (const { org } of (await pool.query<{ org: string }>(COUNTER_ORGS_SQL)).rows) {
    for (const env of COUNTER_ENVS) minuteCounters += (await pool.query(minuteCountersDeleteSql('postgres'), [org, env, minuteBefore])).rowCount ?? 0;
  }
  // a purge moves the tables' bounds (ts, received_at): yesterday's histograms would mislead
  await analyze(pool, RAW_TABLES);
  return { rawEvents: sdk.deleted + pixel.deleted, activity: activity.rowCount ?? 0, pixelRecords: pixelRecords.rowCount ?? 0, minuteCounters };
}
