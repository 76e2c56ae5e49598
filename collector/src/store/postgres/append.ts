/**
 * The ingest transaction on PostgreSQL: ONE statement per batch. Events of erased users (a
 * tombstone) are left out first; the event ids go into `event_ids` (`ON CONFLICT DO NOTHING`);
 * only the ids that were new flow on into `raw_events` and, with a copy of the event, into
 * `outbox`. Being one statement, it is one transaction: a batch is stored with its outbox rows
 * entirely or not at all.
 */
import type pg from 'pg';
import type { AppendResult, RawEvent } from '../types';
import { RAW_PARENTS } from './migrations';
import { eventColumns } from './rows';

const COLS = 'org, env, kind, content_id, ts, event_id, session_id, client_id, type, source';

const APPEND_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                       $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $13::int[])
    WITH ORDINALITY AS t(${COLS}, json, pos, ord)
), live AS (
  SELECT * FROM input i WHERE NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.org = i.org AND t.client_id = i.client_id)
), fresh AS (
  INSERT INTO event_ids (org, event_id, received_at)
  SELECT org, event_id, $12 FROM live ORDER BY ord
  ON CONFLICT DO NOTHING
  RETURNING org, event_id
), raw AS (
  INSERT INTO raw_events (${COLS}, received_at, json)
  SELECT ${COLS.split(', ').map((c) => `i.${c}`).join(', ')}, $12, i.json
    FROM live i JOIN fresh f ON f.org = i.org AND f.event_id = i.event_id
   ORDER BY i.pos
  RETURNING seq, ${COLS}, received_at, json
), queued AS (
  INSERT INTO outbox (raw_seq, ${COLS}, received_at, json)
  SELECT seq, ${COLS}, received_at, json FROM raw ORDER BY seq
  RETURNING 1
), gone AS (
  SELECT org, client_id FROM input EXCEPT SELECT org, client_id FROM live
)
SELECT (SELECT count(*) FROM queued)::int AS inserted, (SELECT array_agg(ARRAY[org, client_id]) FROM gone) AS erased`;

/**
 * Keeps the first of several events with the same `(org, id)` in one batch, and sorts by that
 * key: concurrent batches sharing ids then take the `event_ids` row locks in the same order,
 * so two collectors can never deadlock on a beacon and its retry. `pos` keeps the batch order,
 * in which the raw events get their `seq` (as on SQLite).
 */
export function uniqueSorted(events: readonly RawEvent[]): { events: RawEvent[]; pos: number[] } {
  const seen = new Map<string, number>();
  events.forEach((e, i) => {
    const k = `${e.orgKey}\u0000${e.eventId}`;
    if (!seen.has(k)) seen.set(k, i);
  });
  const sorted = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { events: sorted.map(([, i]) => events[i]!), pos: sorted.map(([, i]) => i) };
}

/** Partition tables the batch needs at `receivedAt` (one per source present). */
export function parentsFor(events: readonly RawEvent[]): string[] {
  const out = new Set<string>();
  for (const e of events) out.add(RAW_PARENTS[e.source]);
  return [...out];
}

export async function appendBatch(db: pg.Pool | pg.ClientBase, events: readonly RawEvent[], receivedAt: number): Promise<AppendResult> {
  if (events.length === 0) return { inserted: 0, duplicates: 0 };
  const unique = uniqueSorted(events);
  const values = [...eventColumns(unique.events), receivedAt, unique.pos];
  const res = await db.query<{ inserted: number; erased: [string, string][] | null }>({ name: 'waymark_append', text: APPEND_SQL, values });
  const { inserted, erased: users } = res.rows[0]!;
  // every event of an erased user counts as erased, copies within the batch included (as on SQLite)
  const gone = new Set((users ?? []).map(([org, client]) => `${org}\u0000${client}`));
  const erased = gone.size === 0 ? 0 : events.filter((e) => gone.has(`${e.orgKey}\u0000${e.clientId}`)).length;
  return { inserted, duplicates: events.length - inserted - erased, ...(erased ? { erased } : {}) };
}

/** `no partition of relation … found for row`: a partition vanished (retention) behind our cache. */
export { isMissingPartition } from '../errors';
