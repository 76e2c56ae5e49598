/**
 * The read models on SQLite (tables of migration 4, quarter sums inside their day row since
 * migration 9: `quarter-columns.ts`; sum and sketch deltas through the delta log of migration 13,
 * `pending-deltas.ts`), written inside the caller's transaction:
 * the processor's apply step, a user deletion and a rebuild. What a state is and what it adds to
 * the sums lives above the engines (`rollups/readmodel.ts`); this file only loads and stores.
 */
import type Database from 'better-sqlite3';
import { DeltaSink, endCounters, parseState, entityKey, foldEntities, retractEntities, type EntityFold, type EntityRow, type EntityState, type EntityUpdate, type SessionState, type SketchDelta, type SumDelta } from '../../rollups/readmodel';
import { addCounts, decodeCountsInto, encodeCounts } from '../../rollups/sketch';
import { createQuarterWriter } from './quarter-columns';
import { MERGE_AT, createPendingLog } from './pending-deltas';
import type { Aggregation, CounterDelta } from '../types';

/** Granularity of the leading column of the entities' client index (migration 11): one hour. */
export const ENTITY_HOUR_MS = 3_600_000;

/**
 * A user's entities (`@org`, `@client`). The client index is led by the start hour (migration 11):
 * the hours that have entities are found one index seek each (each the next after the last), and
 * the user is looked up in each.
 */
export const ENTITIES_OF_CLIENT_SQL = `WITH RECURSIVE h(x) AS (
    SELECT (SELECT min(start_ts / ${ENTITY_HOUR_MS}) FROM rm_entities WHERE org = @org)
    UNION ALL
    SELECT (SELECT min(start_ts / ${ENTITY_HOUR_MS}) FROM rm_entities WHERE org = @org AND start_ts / ${ENTITY_HOUR_MS} > h.x) FROM h WHERE h.x IS NOT NULL
  )
  SELECT e.* FROM h CROSS JOIN rm_entities AS e INDEXED BY rm_entities_client_hour
  WHERE e.org = @org AND e.start_ts / ${ENTITY_HOUR_MS} = h.x AND e.client_id = @client`;

interface EntityDbRow {
  org: string; env: string; kind: 'journey' | 'tour'; content_id: string; entity_id: string; client_id: string; state: string;
}

export interface SqliteReadModels {
  /** Folds a claim into the stored states and sums; returns the counter deltas the states add (session ends). */
  apply(agg: Pick<Aggregation, 'entities' | 'sums' | 'sketches'>): CounterDelta[];
  /**
   * Removes a user's entities and subtracts what they, and the user's processed events
   * (`processedSums`), added to the sums. Returns the counter deltas (negative) and the number of entities.
   */
  deleteUser(orgKey: string, clientId: string, processed: Pick<Aggregation, 'sums' | 'sketches'>): { counters: CounterDelta[]; entities: number };
  /**
   * Start of a rebuild from `fromTs` (a UTC day start): drops the sums from then on and the entities
   * that started since (the replay of the raw events from `fromTs` rebuilds both); older entities
   * are kept, and the session ends they count from `fromTs` on are returned, as the counters of
   * those days are recomputed.
   */
  resetFrom(fromTs: number): CounterDelta[];
  /** Merges the delta log into the sums and sketches now. */
  mergeLog(): void;
  /**
   * Merges the delta log if it holds {@link MERGE_AT} deltas or more. The processor calls it before
   * it applies a claim, outside the claim's per-event isolation: a merge that fails fails the run
   * (retried with backoff, visible in `/health`), it never sends the claim's events to the dead letters.
   */
  mergeIfLong(): void;
}

export function createSqliteReadModels(db: Database.Database): SqliteReadModels {
  let stmts: ReturnType<typeof prepare> | undefined;
  const s = () => (stmts ??= prepare(db));
  let quarterWriter: ((sums: readonly SumDelta[]) => void) | undefined;
  const log = createPendingLog(db);
  // sums come sorted by content: a content is recorded once, at its first row (when its deltas are
  // logged, so the contents list never waits for a merge)
  const recordContents = (sums: readonly SumDelta[]) => {
    const st = s();
    let prev: SumDelta | undefined;
    for (const d of sums) {
      if (!prev || prev.contentId !== d.contentId || prev.contentKind !== d.contentKind || prev.env !== d.env || prev.orgKey !== d.orgKey) {
        st.content.run(d.orgKey, d.env, d.contentKind, d.contentId);
      }
      prev = d;
    }
  };
  /** Logs deltas (`pending-deltas.ts`); the processor merges the log once it is long enough (`mergeIfLong`). */
  const logDeltas = (sums: readonly SumDelta[], sketches: readonly SketchDelta[]) => {
    recordContents(sums);
    log.append(sums, sketches);
  };
  /** Adds every logged delta to the stored sums and sketches, each cell once. */
  const merge = () => {
    const entries = log.takeAll();
    if (entries.length === 0) return;
    const sink = new DeltaSink();
    for (const entry of entries) {
      for (const { sums, sketches } of entry.values()) {
        for (const d of sums) sink.add(d);
        for (const d of sketches) sink.addSketch(d);
      }
    }
    const { sums, sketches } = sink.result();
    (quarterWriter ??= createQuarterWriter(db))(sums);
    writeSketches(sketches);
  };
  // a sketch row holds every key's count of one bucket: read, add, write back by rowid (or drop when empty)
  const writeSketches = (deltas: readonly SketchDelta[]) => {
    const st = s();
    for (const d of deltas) {
      const key = [d.orgKey, d.env, d.contentKind, d.contentId, d.metric, d.gran, d.bucket, d.dim];
      const stored = st.sketchGet.get(...key) as { id: number; counts: Uint8Array } | undefined;
      const counts = addCounts(stored ? decodeCountsInto(new Map(), stored.counts) : new Map(), d.counts);
      if (!stored) {
        if (counts.size) st.sketchInsert.run(...key, encodeCounts(counts));
      } else if (counts.size) st.sketchUpdate.run(encodeCounts(counts), stored.id);
      else st.sketchDrop.run(stored.id);
    }
  };
  /**
   * `storedClients`: the client id of each entity stored before the claim (by entity key); the
   * others were inserted as they were read (their state is the claim's own, as written here)
   */
  const writeFold = (fold: EntityFold, storedClients: ReadonlyMap<string, string>) => {
    const st = s();
    for (const w of fold.writes) {
      const client = storedClients.get(entityKey(w));
      if (client === undefined) continue;
      const end = endOf(w);
      // an update that leaves client_id as it is does not touch the client index
      if (client === w.clientId) st.update.run(w.state.s, end, JSON.stringify(w.state), w.orgKey, w.env, w.contentKind, w.contentId, w.entityId);
      else st.put.run(w.orgKey, w.env, w.contentKind, w.contentId, w.entityId, w.clientId, w.state.s, end, JSON.stringify(w.state));
    }
    logDeltas(fold.sums, fold.sketches);
  };

  return {
    apply(agg) {
      if (agg.entities.length === 0 && agg.sums.length === 0 && agg.sketches.length === 0) return [];
      const st = s();
      const stored = new Map<string, EntityState>();
      const clients = new Map<string, string>();
      // nearly every entity of a claim is new: inserting it as the claim has it is its read and its
      // write at once; only an entity already stored is read (and folded, and written back)
      for (const u of agg.entities) {
        if (st.insertNew.run(u.orgKey, u.env, u.contentKind, u.contentId, u.entityId, u.clientId, u.state.s, endOf(u), JSON.stringify(u.state)).changes === 1) continue;
        const row = st.get.get(u.orgKey, u.env, u.contentKind, u.contentId, u.entityId) as { client_id: string; state: string };
        const k = entityKey(u);
        stored.set(k, parseState(u.contentKind, row.state));
        clients.set(k, row.client_id);
      }
      const fold = foldEntities(agg.entities, stored, agg.sums, agg.sketches);
      writeFold(fold, clients);
      return fold.counters;
    },

    deleteUser(orgKey, clientId, processed) {
      const st = s();
      const rows = (st.byClient.all({ org: orgKey, client: clientId }) as EntityDbRow[]).map(toEntity);
      const retracted = retractEntities(rows);
      const sink = new DeltaSink();
      for (const d of retracted.sums) sink.add(d);
      for (const d of retracted.sketches) sink.addSketch(d);
      for (const d of processed.sums) sink.add({ ...d, value: -d.value });
      for (const d of processed.sketches) sink.addSketch(d, -1);
      const { sums, sketches } = sink.result();
      logDeltas(sums, sketches);
      for (const r of rows) st.deleteOne.run(r.orgKey, r.env, r.contentKind, r.contentId, r.entityId);
      return { counters: retracted.counters, entities: rows.length };
    },

    mergeLog: () => merge(),
    mergeIfLong: () => {
      if (log.size() >= MERGE_AT) merge();
    },

    resetFrom(fromTs) {
      const st = s();
      merge();
      st.dropSums.run(fromTs);
      st.dropSketches.run(fromTs);
      st.dropEntities.run(fromTs);
      const sink = new DeltaSink();
      for (const r of st.endingSince.all(fromTs, fromTs) as EntityDbRow[]) {
        const e = toEntity(r);
        endCounters(e.state as SessionState, (metric, ts) => sink.counter({ orgKey: e.orgKey, env: e.env, contentKind: 'journey', contentId: e.contentId }, metric, ts, 1));
      }
      return sink.result().counters;
    },
  };
}

/** The end time column of an entity: a journey session's first end. */
const endOf = (e: EntityUpdate): number | null => (e.contentKind === 'journey' ? ((e.state as SessionState).e?.[0] ?? null) : null);

function toEntity(r: EntityDbRow): EntityRow {
  return {
    orgKey: r.org, env: r.env, contentKind: r.kind, contentId: r.content_id, entityId: r.entity_id, clientId: r.client_id,
    state: parseState(r.kind, r.state),
  };
}

function prepare(db: Database.Database) {
  const key = 'org = ? AND env = ? AND kind = ? AND content_id = ? AND metric = ? AND gran = ? AND bucket = ? AND dim = ?';
  return {
    get: db.prepare('SELECT client_id, state FROM rm_entities WHERE org = ? AND env = ? AND kind = ? AND content_id = ? AND entity_id = ?'),
    insertNew: db.prepare(
      `INSERT INTO rm_entities (org, env, kind, content_id, entity_id, client_id, start_ts, end_ts, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (org, env, kind, content_id, entity_id) DO NOTHING`,
    ),
    update: db.prepare('UPDATE rm_entities SET start_ts = ?, end_ts = ?, state = ? WHERE org = ? AND env = ? AND kind = ? AND content_id = ? AND entity_id = ?'),
    put: db.prepare(
      `INSERT INTO rm_entities (org, env, kind, content_id, entity_id, client_id, start_ts, end_ts, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (org, env, kind, content_id, entity_id) DO UPDATE SET client_id = excluded.client_id, start_ts = excluded.start_ts,
         end_ts = excluded.end_ts, state = excluded.state`,
    ),
    content: db.prepare('INSERT INTO rm_contents (org, env, kind, content_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    byClient: db.prepare(ENTITIES_OF_CLIENT_SQL),
    deleteOne: db.prepare('DELETE FROM rm_entities WHERE org = ? AND env = ? AND kind = ? AND content_id = ? AND entity_id = ?'),
    dropSums: db.prepare('DELETE FROM rm_sums WHERE bucket >= ?'),
    dropSketches: db.prepare('DELETE FROM rm_sketches WHERE bucket >= ?'),
    // a rowid table since migration 12: a row found by its key is written back by rowid
    sketchGet: db.prepare(`SELECT rowid AS id, counts FROM rm_sketches WHERE ${key}`),
    sketchInsert: db.prepare('INSERT INTO rm_sketches (org, env, kind, content_id, metric, gran, bucket, dim, counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    sketchUpdate: db.prepare('UPDATE rm_sketches SET counts = ? WHERE rowid = ?'),
    sketchDrop: db.prepare('DELETE FROM rm_sketches WHERE rowid = ?'),
    dropEntities: db.prepare('DELETE FROM rm_entities WHERE start_ts >= ?'),
    endingSince: db.prepare("SELECT * FROM rm_entities WHERE kind = 'journey' AND start_ts < ? AND end_ts >= ?"),
  };
}
