/**
 * Deleting one user's data on PostgreSQL (twin of `../sqlite/analytics-delete.ts`), in one
 * transaction: raw events (and their `event_ids`), activity entries and pixel records go, and
 * every counter their already processed events had added is decremented by exactly what the
 * shared aggregator says they added. The transaction holds the rollups lock exclusively (as
 * `rebuildRollups` does), so no processor can be counting this user's events meanwhile; events
 * still in the outbox were never counted and their outbox rows are dropped.
 */
import type pg from 'pg';
import type { AnalyticsReader } from '../../analytics/reader';
import { applyCounters, dropZeroCounters, sortedCounters } from './apply';
import { ROLLUPS_LOCK } from './outbox';
import { beginErasure } from './erasure';
import { inTransaction } from './pool';
import { deleteUserReadModels } from './readmodel';
import { INDEX_RANGE_SETTINGS } from './range-read';
import { rowToEvent, type PgRawRow } from './rows';

/** A user's raw events, found through `raw_events_client (org, client_id)` in every partition. Parameters: org, client id. */
export const USER_EVENTS_SQL = 'SELECT * FROM raw_events WHERE org = $1 AND client_id = $2';
/** Deletes them, through the same index. */
export const DELETE_USER_EVENTS_SQL = 'DELETE FROM raw_events WHERE org = $1 AND client_id = $2';

export function createUserDeletion(pool: pg.Pool): Pick<AnalyticsReader, 'deleteUser'> {
  return {
    deleteUser(orgKey, clientId, aggregate) {
      return inTransaction(pool, async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock(${ROLLUPS_LOCK})`);
        // the tombstone (later events of this user are discarded) and the user's dead letters (never counted)
        const neverCounted = await beginErasure(client, orgKey, clientId, Date.now());
        // the user's rows are a few among millions: by index in every partition, never by scan
        await client.query(INDEX_RANGE_SETTINGS);
        const { rows } = await client.query<PgRawRow>(USER_EVENTS_SQL, [orgKey, clientId]);
        const seqs = rows.map((r) => r.seq);
        const pendingRows = await client.query<{ raw_seq: number }>('DELETE FROM outbox WHERE raw_seq = ANY($1::bigint[]) RETURNING raw_seq', [seqs]);
        const pending = new Set(pendingRows.rows.map((r) => r.raw_seq));
        const processed = aggregate(rows.filter((r) => !pending.has(r.seq) && !neverCounted.has(r.seq)).map(rowToEvent));
        // the read models: the user's sessions and tour attempts, and their events' sums
        const rm = await deleteUserReadModels(client, orgKey, clientId, processed);
        const counters = sortedCounters([...processed.counters, ...rm.counters.map((c) => ({ ...c, value: -c.value }))]);
        await applyCounters(client, counters, -1);
        await dropZeroCounters(client, counters);
        const keys = new Set(counters.map((c) => `${c.env}|${c.contentKind}|${c.contentId}|${c.granularity}|${c.period}|${c.metric}|${c.dim}`));
        await client.query('DELETE FROM event_ids WHERE org = $1 AND event_id = ANY($2::text[])', [orgKey, rows.map((r) => r.event_id)]);
        const raw = await client.query(DELETE_USER_EVENTS_SQL, [orgKey, clientId]);
        const activity = await client.query('DELETE FROM activity WHERE org = $1 AND client_id = $2', [orgKey, clientId]);
        const pixel = await client.query(`DELETE FROM pixel_records WHERE org = $1 AND ((kind = 'u' AND id = $2) OR (kind = 's' AND uid = $2))`, [
          orgKey,
          clientId,
        ]);
        return { rawEvents: raw.rowCount ?? 0, activity: activity.rowCount ?? 0, pixelRecords: pixel.rowCount ?? 0, counters: keys.size };
      });
    },
  };
}
