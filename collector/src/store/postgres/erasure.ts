/**
 * Erasure tombstones on PostgreSQL (twin of `../sqlite/erasure.ts`). A deleted user (org +
 * clientId, or pixel uid) is remembered; the append statement discards their events arriving
 * later. An append whose snapshot was taken just before the deletion committed can still store
 * one: the processor catches those when it claims them (the claim runs after the deletion, which
 * holds the rollups lock exclusively) and discards them instead of counting them
 * (`discardErased`), so an erasure is final however the two interleave.
 */
import type pg from 'pg';

/**
 * Robust's part of a user deletion, inside the deletion's transaction: writes the tombstone and
 * removes the user's dead letters, resolving to their raw seqs (events never counted).
 */
export async function beginErasure(client: pg.ClientBase, orgKey: string, clientId: string, now: number): Promise<Set<number>> {
  await client.query(
    `INSERT INTO tombstones (org, client_id, deleted_at) VALUES ($1, $2, $3)
     ON CONFLICT (org, client_id) DO UPDATE SET deleted_at = greatest(tombstones.deleted_at, excluded.deleted_at)`,
    [orgKey, clientId, now],
  );
  const { rows } = await client.query<{ raw_seq: number }>('DELETE FROM dead_letters WHERE org = $1 AND client_id = $2 RETURNING raw_seq', [orgKey, clientId]);
  return new Set(rows.map((r) => r.raw_seq));
}

/** Deletes the raw events (and their ids) of claimed outbox rows whose user was erased meanwhile. */
export async function discardErased(client: pg.ClientBase, rows: readonly { raw_seq: number; org: string; event_id: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query('DELETE FROM raw_events WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.raw_seq)]);
  await client.query('DELETE FROM event_ids e USING unnest($1::text[], $2::text[]) AS k(org, event_id) WHERE e.org = k.org AND e.event_id = k.event_id', [
    rows.map((r) => r.org),
    rows.map((r) => r.event_id),
  ]);
}

/** Tombstones older than `before` go; dead letters go with their raw event. */
export async function purgeErasureState(pool: pg.Pool, before: number): Promise<void> {
  await pool.query('DELETE FROM tombstones WHERE deleted_at < $1', [before]);
  await pool.query('DELETE FROM dead_letters d WHERE NOT EXISTS (SELECT 1 FROM raw_events r WHERE r.seq = d.raw_seq)');
}
