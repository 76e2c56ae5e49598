/**
 * The read models on PostgreSQL (twin of `../sqlite/readmodel.ts`), inside the caller's
 * transaction, one statement per step whatever the size of the claim:
 * - the claim's entities are inserted-or-locked in sorted key order (concurrent processors that
 *   touch the same session wait for each other instead of losing an update), their stored states
 *   come back, and the changed states are written with one multi-row update;
 * - sum deltas are one multi-row upsert in sorted key order, like the counters;
 * - sketch rows are inserted-or-locked in key order, merged here, and written back in one update.
 * Lock order inside a claim: entities, counters, activity, pixel records, sums, sketches (`apply.ts`).
 */
import type pg from 'pg';
import { DeltaSink, endCounters, entityKey, parseState, foldEntities, retractEntities, type EntityFold, type EntityRow, type EntityState, type EntityUpdate, type SessionState, type SketchDelta, type SumDelta } from '../../rollups/readmodel';
import { addCounts, decodeCountsInto, encodeCounts } from '../../rollups/sketch';
import type { Aggregation, CounterDelta } from '../types';

interface EntityDbRow {
  org: string; env: string; kind: 'journey' | 'tour'; content_id: string; entity_id: string; client_id: string; state: string;
}

/** Locks the claim's entities, folds the updates into them and writes the changed states. */
export async function applyEntities(client: pg.ClientBase, agg: Pick<Aggregation, 'entities' | 'sums' | 'sketches'>): Promise<EntityFold> {
  if (agg.entities.length === 0) return { writes: [], sums: agg.sums, counters: [], sketches: agg.sketches };
  const updates = [...agg.entities].sort((a, b) => (entityKey(a) < entityKey(b) ? -1 : 1));
  const col = (f: (u: EntityUpdate) => string) => updates.map(f);
  const { rows } = await client.query<EntityDbRow>({
    name: 'waymark_rm_lock',
    text: `INSERT INTO rm_entities AS e (org, env, kind, content_id, entity_id, client_id, start_ts, end_ts, state)
      SELECT org, env, kind, content_id, entity_id, client_id, 0, NULL, '' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
        AS t(org, env, kind, content_id, entity_id, client_id)
      ON CONFLICT (org, env, kind, content_id, entity_id) DO UPDATE SET org = e.org
      RETURNING org, env, kind, content_id, entity_id, state`,
    values: [col((u) => u.orgKey), col((u) => u.env), col((u) => u.contentKind), col((u) => u.contentId), col((u) => u.entityId), col((u) => u.clientId)],
  });
  const stored = new Map<string, EntityState>();
  for (const r of rows) {
    if (r.state !== '') stored.set(entityKey({ orgKey: r.org, env: r.env, contentKind: r.kind, contentId: r.content_id, entityId: r.entity_id }), parseState(r.kind, r.state));
  }
  const fold = foldEntities(updates, stored, agg.sums, agg.sketches);
  const w = fold.writes;
  if (w.length) {
    await client.query({
      name: 'waymark_rm_put',
      text: `UPDATE rm_entities e SET client_id = t.client_id, start_ts = t.start_ts, end_ts = t.end_ts, state = t.state
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::text[])
          AS t(org, env, kind, content_id, entity_id, client_id, start_ts, end_ts, state)
        WHERE e.org = t.org AND e.env = t.env AND e.kind = t.kind AND e.content_id = t.content_id AND e.entity_id = t.entity_id`,
      values: [
        w.map((x) => x.orgKey), w.map((x) => x.env), w.map((x) => x.contentKind), w.map((x) => x.contentId), w.map((x) => x.entityId),
        w.map((x) => x.clientId), w.map((x) => x.state.s), w.map((x) => (x.contentKind === 'journey' ? ((x.state as SessionState).e?.[0] ?? null) : null)),
        w.map((x) => JSON.stringify(x.state)),
      ],
    });
  }
  return fold;
}

/**
 * Adds sum deltas (already summed per key and sorted) and records their contents. A sum that a
 * negative delta brings back to zero loses its row, as a rebuild would not write it (and as SQLite does).
 */
export async function applySums(client: pg.ClientBase, sums: readonly SumDelta[]): Promise<void> {
  if (sums.length === 0) return;
  await client.query({
    name: 'waymark_rm_sums',
    text: `INSERT INTO rm_sums AS s (org, env, kind, content_id, metric, gran, bucket, dim, value)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::bigint[])
      ON CONFLICT (org, env, kind, content_id, metric, gran, bucket, dim) DO UPDATE SET value = s.value + excluded.value`,
    values: [
      sums.map((d) => d.orgKey), sums.map((d) => d.env), sums.map((d) => d.contentKind), sums.map((d) => d.contentId), sums.map((d) => d.metric),
      sums.map((d) => d.gran), sums.map((d) => d.bucket), sums.map((d) => d.dim), sums.map((d) => d.value),
    ],
  });
  const back = sums.filter((d) => d.value < 0);
  if (back.length) {
    await client.query({
      name: 'waymark_rm_sums_zero',
      text: `DELETE FROM rm_sums s USING unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[])
         AS k(org, env, kind, content_id, metric, gran, bucket, dim)
       WHERE s.value = 0 AND s.org = k.org AND s.env = k.env AND s.kind = k.kind AND s.content_id = k.content_id
         AND s.metric = k.metric AND s.gran = k.gran AND s.bucket = k.bucket AND s.dim = k.dim`,
      values: [
        back.map((d) => d.orgKey), back.map((d) => d.env), back.map((d) => d.contentKind), back.map((d) => d.contentId), back.map((d) => d.metric),
        back.map((d) => d.gran), back.map((d) => d.bucket), back.map((d) => d.dim),
      ],
    });
  }
  const fresh = new Map<string, SumDelta>();
  for (const d of sums) {
    const k = `${d.orgKey}\u0000${d.env}\u0000${d.contentKind}\u0000${d.contentId}`;
    if (!fresh.has(k)) fresh.set(k, d);
  }
  const c = [...fresh.keys()].sort().map((k) => fresh.get(k)!);
  await client.query(
    `INSERT INTO rm_contents (org, env, kind, content_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
    [c.map((d) => d.orgKey), c.map((d) => d.env), c.map((d) => d.contentKind), c.map((d) => d.contentId)],
  );
}

/**
 * Adds sketch deltas (sorted by key): the rows are inserted-or-locked in key order, their stored
 * counts come back, and the merged counts are written with one multi-row update (empty ones deleted).
 */
export async function applySketches(client: pg.ClientBase, deltas: readonly SketchDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const cols = (f: (d: SketchDelta) => unknown) => deltas.map(f);
  const keyCols = [cols((d) => d.orgKey), cols((d) => d.env), cols((d) => d.contentKind), cols((d) => d.contentId), cols((d) => d.metric), cols((d) => d.gran), cols((d) => d.bucket), cols((d) => d.dim)];
  const { rows } = await client.query<{ org: string; env: string; kind: string; content_id: string; metric: string; gran: string; bucket: number; dim: string; counts: Buffer }>({
    name: 'waymark_rm_sketch_lock',
    text: `INSERT INTO rm_sketches AS s (org, env, kind, content_id, metric, gran, bucket, dim, counts)
      SELECT org, env, kind, content_id, metric, gran, bucket, dim, '\\x'::bytea
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[]) AS t(org, env, kind, content_id, metric, gran, bucket, dim)
      ON CONFLICT (org, env, kind, content_id, metric, gran, bucket, dim) DO UPDATE SET org = s.org
      RETURNING org, env, kind, content_id, metric, gran, bucket, dim, counts`,
    values: keyCols,
  });
  const k = (r: { org: string; env: string; kind: string; content_id: string; metric: string; gran: string; bucket: number; dim: string }) =>
    `${r.org}\u0000${r.env}\u0000${r.kind}\u0000${r.content_id}\u0000${r.metric}\u0000${r.gran}\u0000${r.bucket}\u0000${r.dim}`;
  const stored = new Map(rows.map((r) => [k(r), r.counts]));
  const merged = deltas.map((d) => {
    const old = stored.get(k({ org: d.orgKey, env: d.env, kind: d.contentKind, content_id: d.contentId, metric: d.metric, gran: d.gran, bucket: d.bucket, dim: d.dim }));
    return encodeCounts(addCounts(old ? decodeCountsInto(new Map(), old) : new Map(), d.counts));
  });
  await client.query({
    name: 'waymark_rm_sketch_put',
    text: `UPDATE rm_sketches s SET counts = t.counts
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::bytea[])
        AS t(org, env, kind, content_id, metric, gran, bucket, dim, counts)
      WHERE s.org = t.org AND s.env = t.env AND s.kind = t.kind AND s.content_id = t.content_id AND s.metric = t.metric
        AND s.gran = t.gran AND s.bucket = t.bucket AND s.dim = t.dim`,
    values: [...keyCols, merged],
  });
  const empty = deltas.filter((_, i) => merged[i]!.length === 0);
  if (empty.length === 0) return;
  await client.query(
    `DELETE FROM rm_sketches s USING unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[])
       AS t(org, env, kind, content_id, metric, gran, bucket, dim)
     WHERE s.org = t.org AND s.env = t.env AND s.kind = t.kind AND s.content_id = t.content_id AND s.metric = t.metric
       AND s.gran = t.gran AND s.bucket = t.bucket AND s.dim = t.dim AND length(s.counts) = 0`,
    [empty.map((d) => d.orgKey), empty.map((d) => d.env), empty.map((d) => d.contentKind), empty.map((d) => d.contentId),
      empty.map((d) => d.metric), empty.map((d) => d.gran), empty.map((d) => d.bucket), empty.map((d) => d.dim)],
  );
}

/**
 * Removes a user's entities and subtracts what they and the user's processed events
 * (`processedSums`) added. Returns the counter deltas (negative) the caller subtracts with the counters.
 */
export async function deleteUserReadModels(
  client: pg.ClientBase, orgKey: string, clientId: string, processed: Pick<Aggregation, 'sums' | 'sketches'>,
): Promise<{ counters: CounterDelta[]; entities: number }> {
  const { rows } = await client.query<EntityDbRow>('DELETE FROM rm_entities WHERE org = $1 AND client_id = $2 RETURNING *', [orgKey, clientId]);
  const entities: EntityRow[] = rows.map((r) => ({
    orgKey: r.org, env: r.env, contentKind: r.kind, contentId: r.content_id, entityId: r.entity_id, clientId: r.client_id, state: parseState(r.kind, r.state),
  }));
  const retracted = retractEntities(entities);
  const sink = new DeltaSink();
  for (const d of retracted.sums) sink.add(d);
  for (const d of retracted.sketches) sink.addSketch(d);
  for (const d of processed.sums) sink.add({ ...d, value: -d.value });
  for (const d of processed.sketches) sink.addSketch(d, -1);
  const { sums, sketches } = sink.result();
  await applySums(client, sums);
  await applySketches(client, sketches);
  return { counters: retracted.counters, entities: entities.length };
}

/** Start of a rebuild from `fromTs` (see the SQLite twin): returns the session ends of kept entities to count again. */
export async function resetReadModelsFrom(client: pg.ClientBase, fromTs: number): Promise<CounterDelta[]> {
  await client.query('DELETE FROM rm_sums WHERE bucket >= $1', [fromTs]);
  await client.query('DELETE FROM rm_sketches WHERE bucket >= $1', [fromTs]);
  await client.query('DELETE FROM rm_entities WHERE start_ts >= $1', [fromTs]);
  const { rows } = await client.query<EntityDbRow>("SELECT * FROM rm_entities WHERE kind = 'journey' AND start_ts < $1 AND end_ts >= $1", [fromTs]);
  const sink = new DeltaSink();
  for (const r of rows) {
    endCounters(JSON.parse(r.state) as SessionState, (metric, ts) => sink.counter({ orgKey: r.org, env: r.env, contentKind: 'journey', contentId: r.content_id }, metric, ts, 1));
  }
  return sink.result().counters;
}
