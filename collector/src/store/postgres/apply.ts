/**
 * Applies an {@link Aggregation} inside the caller's transaction, one statement per table:
 * - counters: ONE multi-row `INSERT … ON CONFLICT DO UPDATE SET value = value + excluded.value`,
 *   keys sorted, so concurrent processors lock shared counter rows in the same order (no
 *   deadlock) and each row is written once per claim whatever its number of events (no hot row);
 * - activity: one multi-row insert;
 * - read models: see `readmodel.ts`;
 * - pixel records: the claim's updates are folded per record with the shared merge rule
 *   (`rollups/pixel.ts`), the records are locked in sorted order by an upsert, merged with what
 *   is stored, and written back with one multi-row update.
 */
import type pg from 'pg';
import type { Aggregation, CounterDelta, PixelRecord, PixelUpdate } from '../types';
import { mergePixelRecord } from '../../rollups/pixel';
import { pixelFromRow, type PgPixelRow } from './rows';
import { applyEntities, applySketches, applySums } from './readmodel';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const counterKey = (c: CounterDelta) =>
  `${c.orgKey}\u0000${c.env}\u0000${c.contentKind}\u0000${c.contentId}\u0000${c.granularity}\u0000${c.period}\u0000${c.metric}\u0000${c.dim}`;

/** Sums deltas with the same key and sorts them (the aggregator already does; cheap to be sure). */
export function sortedCounters(counters: readonly CounterDelta[]): CounterDelta[] {
  const sums = new Map<string, CounterDelta>();
  for (const c of counters) {
    const k = counterKey(c);
    const s = sums.get(k);
    if (s) s.value += c.value;
    else sums.set(k, { ...c });
  }
  return [...sums.keys()].sort(cmp).map((k) => sums.get(k)!);
}

export async function applyCounters(client: pg.ClientBase, counters: readonly CounterDelta[], sign = 1): Promise<void> {
  const rows = sortedCounters(counters);
  if (rows.length === 0) return;
  await client.query({
    name: 'waymark_counters',
    text: `INSERT INTO counters AS c (org, env, kind, content_id, granularity, period, metric, dim, value)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[])
      ON CONFLICT (org, env, kind, content_id, granularity, period, metric, dim) DO UPDATE SET value = c.value + excluded.value`,
    values: [
      rows.map((c) => c.orgKey),
      rows.map((c) => c.env),
      rows.map((c) => c.contentKind),
      rows.map((c) => c.contentId),
      rows.map((c) => c.granularity),
      rows.map((c) => c.period),
      rows.map((c) => c.metric),
      rows.map((c) => c.dim),
      rows.map((c) => sign * c.value),
    ],
  });
}

/** Deletes the counters of these keys whose value is 0. */
export async function dropZeroCounters(client: pg.ClientBase, keys: readonly CounterDelta[]): Promise<void> {
  if (keys.length === 0) return;
  await client.query(
    `DELETE FROM counters c USING unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS k(org, env, kind, content_id, granularity, period, metric, dim)
     WHERE c.value = 0 AND c.org = k.org AND c.env = k.env AND c.kind = k.kind AND c.content_id = k.content_id
       AND c.granularity = k.granularity AND c.period = k.period AND c.metric = k.metric AND c.dim = k.dim`,
    [
      keys.map((c) => c.orgKey), keys.map((c) => c.env), keys.map((c) => c.contentKind), keys.map((c) => c.contentId),
      keys.map((c) => c.granularity), keys.map((c) => c.period), keys.map((c) => c.metric), keys.map((c) => c.dim),
    ],
  );
}

/** Inserts activity entries unless present; resolves to the number inserted. */
export async function applyActivity(client: pg.ClientBase, agg: Aggregation): Promise<number> {
  const a = agg.activity;
  if (a.length === 0) return 0;
  const res = await client.query({
    name: 'waymark_activity',
    text: `INSERT INTO activity (org, env, client_id, session_id, kind, content_id, ts, event_id, type, detail)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[])
      ON CONFLICT DO NOTHING`,
    values: [
      a.map((x) => x.orgKey),
      a.map((x) => x.env),
      a.map((x) => x.clientId),
      a.map((x) => x.sessionId),
      a.map((x) => x.contentKind),
      a.map((x) => x.contentId),
      a.map((x) => x.ts),
      a.map((x) => x.eventId),
      a.map((x) => x.type),
      a.map((x) => x.detail),
    ],
  });
  return res.rowCount ?? 0;
}

const pixelKind = (u: PixelUpdate) => (u.kind === 'session' ? 's' : 'u');

/** Folds a claim's pixel updates per record, in claim order, with the shared merge rule. */
export function foldPixel(updates: readonly PixelUpdate[]): { kind: string; record: PixelRecord }[] {
  const byKey = new Map<string, { kind: string; record: PixelRecord }>();
  for (const u of updates) {
    const kind = pixelKind(u);
    const k = `${u.record.orgKey}\u0000${kind}\u0000${u.record.id}`;
    const prev = byKey.get(k);
    byKey.set(k, { kind, record: prev ? mergePixelRecord(prev.record, u.record) : u.record });
  }
  return [...byKey.keys()].sort(cmp).map((k) => byKey.get(k)!);
}

/** Placeholder timestamp of a record created only to be locked: any real event wins over it. */
const FRESH = -1;

export async function applyPixel(client: pg.ClientBase, updates: readonly PixelUpdate[]): Promise<void> {
  const folded = foldPixel(updates);
  if (folded.length === 0) return;
  // Insert-or-lock every record in sorted key order in one statement; RETURNING gives what is stored.
  const locked = await client.query<PgPixelRow>(
    `INSERT INTO pixel_records AS p (org, kind, id, site, sid, uid, eid, unixtimestamp, props)
     SELECT org, kind, id, '', '', '', '', ${FRESH}, '{}' FROM unnest($1::text[], $2::text[], $3::text[]) AS t(org, kind, id)
     ON CONFLICT (org, kind, id) DO UPDATE SET org = p.org
     RETURNING *`,
    [folded.map((f) => f.record.orgKey), folded.map((f) => f.kind), folded.map((f) => f.record.id)],
  );
  const stored = new Map(locked.rows.map((r) => [`${r.org}\u0000${r.kind}\u0000${r.id}`, r]));
  const merged = folded.map(({ kind, record }) => {
    const row = stored.get(`${record.orgKey}\u0000${kind}\u0000${record.id}`);
    const next = row && row.unixtimestamp !== FRESH ? mergePixelRecord(pixelFromRow(row), record) : record;
    return { kind, r: next };
  });
  await client.query(
    `UPDATE pixel_records p SET site = t.site, sid = t.sid, uid = t.uid, eid = t.eid, unixtimestamp = t.ts, props = t.props
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[])
         AS t(org, kind, id, site, sid, uid, eid, ts, props)
      WHERE p.org = t.org AND p.kind = t.kind AND p.id = t.id`,
    [
      merged.map((m) => m.r.orgKey),
      merged.map((m) => m.kind),
      merged.map((m) => m.r.id),
      merged.map((m) => m.r.site),
      merged.map((m) => m.r.sid),
      merged.map((m) => m.r.uid),
      merged.map((m) => m.r.eid),
      merged.map((m) => m.r.unixtimestamp),
      merged.map((m) => JSON.stringify(m.r.props)),
    ],
  );
}

/**
 * Everything of one claim, in a fixed table order (read-model entities, counters, activity, pixel,
 * read-model sums and sketches): the processor's one apply step per claim. The counters include the session
 * ends the session read model counts once per session.
 */
export async function applyAggregation(client: pg.ClientBase, agg: Aggregation): Promise<void> {
  const fold = await applyEntities(client, agg);
  await applyCounters(client, fold.counters.length ? [...agg.counters, ...fold.counters] : agg.counters);
  // a session whose end moved (an earlier session_end arrived late) leaves no zero counter behind
  await dropZeroCounters(client, fold.counters.filter((c) => c.value < 0));
  await applyActivity(client, agg);
  await applyPixel(client, agg.pixel);
  await applySums(client, fold.sums);
  await applySketches(client, fold.sketches);
}
