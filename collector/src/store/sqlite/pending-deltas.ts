/**
 * The read models' delta log on SQLite (table `rm_pending`, migration 13): each claim appends the
 * sum and sketch deltas it folded as one row, inside its own transaction, and once the log holds
 * {@link MERGE_AT} deltas the next claim merges it into `rm_sums` / `rm_sketches` before it applies
 * its events. Consecutive claims touch mostly the same cells (the same contents, metrics and
 * days), so a merge writes each cell once for many claims: row writes are what the processor pays
 * for on SQLite, a few µs each. This is how column stores keep summing tables: parts appended,
 * merged later.
 *
 * Readers see the sums as `rm_sums` plus the log: they read both in one snapshot and add the log's
 * deltas of what they asked for (`createPendingReader`). Every write of the sums goes through the log
 * (claims, user deletions), so the stored rows only ever hold a merged, non-negative state and the
 * pair columns' lane bound holds; a reset from a day (rebuild) merges the log first.
 */
import type Database from 'better-sqlite3';
import { contentKeyOf, type SketchDelta, type SumBase, type SumDelta, type SumGranularity } from '../../rollups/delta-sink';
import { addCounts, decodeCountsInto, encodeCounts, type SketchCounts } from '../../rollups/sketch';
import type { SketchRow, SumRow } from '../readmodel-sql';

/** Deltas in the log from which the next claim merges it first (a merge then writes a few thousand rows at most). */
export const MERGE_AT = 20_000;

/**
 * One logged claim, per content: `[org, env, kind, content id, sums, sketches]`, the sums flat as
 * `metric, gran, bucket, dim, value` and the sketches as `metric, gran, bucket, dim, [key, count, …]`.
 */
type Encoded = [string, string, string, string, (string | number)[], (string | number | number[])[]][];

/** A logged claim's deltas, per content key (`org NUL env NUL kind NUL id`). */
export type PendingEntry = Map<string, { sums: SumDelta[]; sketches: SketchDelta[] }>;

const contentKey = (b: SumBase): string => contentKeyOf(b.orgKey, b.env, b.contentKind, b.contentId);

/** Encodes deltas sorted by content (`DeltaSink.result`). */
export function encodeDeltas(sums: readonly SumDelta[], sketches: readonly SketchDelta[]): string {
  const out: Encoded = [];
  const byKey = new Map<string, Encoded[number]>();
  const group = (d: SumDelta | SketchDelta) => {
    const last = out[out.length - 1];
    if (last && last[3] === d.contentId && last[2] === d.contentKind && last[1] === d.env && last[0] === d.orgKey) return last;
    const k = contentKey(d);
    let g = byKey.get(k);
    if (!g) {
      byKey.set(k, (g = [d.orgKey, d.env, d.contentKind, d.contentId, [], []]));
      out.push(g);
    }
    return g;
  };
  for (const d of sums) group(d)[4].push(d.metric, d.gran, d.bucket, d.dim, d.value);
  for (const d of sketches) {
    const flat: number[] = [];
    for (const [k, n] of d.counts) flat.push(k, n);
    group(d)[5].push(d.metric, d.gran, d.bucket, d.dim, flat);
  }
  return JSON.stringify(out);
}

/** Decodes a logged claim. */
export function decodeDeltas(text: string): PendingEntry {
  const entry: PendingEntry = new Map();
  for (const [orgKey, env, kind, contentId, s, k] of JSON.parse(text) as Encoded) {
    const contentKind = kind as SumDelta['contentKind'];
    const sums: SumDelta[] = [];
    for (let i = 0; i < s.length; i += 5) {
      sums.push({ orgKey, env, contentKind, contentId, metric: s[i] as string, gran: s[i + 1] as SumGranularity, bucket: s[i + 2] as number, dim: s[i + 3] as string, value: s[i + 4] as number });
    }
    const sketches: SketchDelta[] = [];
    for (let i = 0; i < k.length; i += 5) {
      const flat = k[i + 4] as number[];
      const counts = new Map<number, number>();
      for (let j = 0; j < flat.length; j += 2) counts.set(flat[j]!, flat[j + 1]!);
      sketches.push({ orgKey, env, contentKind, contentId, metric: k[i] as string, gran: k[i + 1] as SumGranularity, bucket: k[i + 2] as number, dim: k[i + 3] as string, counts });
    }
    entry.set(contentKey({ orgKey, env, contentKind, contentId }), { sums, sketches });
  }
  return entry;
}

/** The writer's side of the log: append a claim's deltas, tell when to merge, take everything out. */
export function createPendingLog(db: Database.Database) {
  let st: ReturnType<typeof prepare> | undefined;
  const s = () => (st ??= prepare(db));
  let exists = false;
  return {
    /** Appends deltas (nothing when there are none). */
    append(sums: readonly SumDelta[], sketches: readonly SketchDelta[]): void {
      const n = sums.length + sketches.length;
      if (n > 0) s().append.run(encodeDeltas(sums, sketches), n);
    },
    /**
     * The number of deltas the log holds; 0 in a file not yet migrated to have one (the processor
     * asks before every claim, also while an older schema is being counted, as in upgrade tests).
     */
    size(): number {
      if (!exists) exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rm_pending'").get() !== undefined;
      return exists ? (s().size.get() as number) : 0;
    },
    /** Removes every logged claim and returns them, oldest first. */
    takeAll(): PendingEntry[] {
      const rows = s().all.all() as { body: string }[];
      if (rows.length) s().clear.run();
      return rows.map((r) => decodeDeltas(r.body));
    },
  };
}

function prepare(db: Database.Database) {
  return {
    append: db.prepare('INSERT INTO rm_pending (body, deltas) VALUES (?, ?)'),
    size: db.prepare('SELECT coalesce(sum(deltas), 0) FROM rm_pending').pluck(),
    all: db.prepare('SELECT body FROM rm_pending ORDER BY id'),
    clear: db.prepare('DELETE FROM rm_pending'),
  };
}

/** Migration 13: the delta log. AUTOINCREMENT: a merged row's id is never reused (readers cache entries by id). */
export const pendingLogMigration = `CREATE TABLE rm_pending (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    body   TEXT    NOT NULL,
    deltas INTEGER NOT NULL
  );`;

/** The log's deltas summed per content, metric and bucket × dim (what readers look up). */
interface PendingView {
  ids: number[];
  sums: Map<string, Map<string, Map<string, SumDelta>>>;
  sketches: Map<string, Map<string, Map<string, SketchDelta>>>;
}

const cellOf = (d: SumDelta | SketchDelta) => `${d.gran}\u0000${d.bucket}\u0000${d.dim}`;

function slot<T>(m: Map<string, Map<string, Map<string, T>>>, content: string, metric: string): Map<string, T> {
  let byMetric = m.get(content);
  if (!byMetric) m.set(content, (byMetric = new Map()));
  let cells = byMetric.get(metric);
  if (!cells) byMetric.set(metric, (cells = new Map()));
  return cells;
}

/** Adds one decoded log row to the view (copies: a decoded delta is never changed). */
function fold(view: PendingView, entry: PendingEntry): void {
  for (const [content, { sums, sketches }] of entry) {
    for (const d of sums) {
      const cells = slot(view.sums, content, d.metric);
      const k = cellOf(d);
      const c = cells.get(k);
      if (c) c.value += d.value;
      else cells.set(k, { orgKey: d.orgKey, env: d.env, contentKind: d.contentKind, contentId: d.contentId, metric: d.metric, gran: d.gran, bucket: d.bucket, dim: d.dim, value: d.value });
    }
    for (const d of sketches) {
      const cells = slot(view.sketches, content, d.metric);
      const k = cellOf(d);
      const c = cells.get(k);
      if (c) addCounts(c.counts, d.counts);
      else cells.set(k, { orgKey: d.orgKey, env: d.env, contentKind: d.contentKind, contentId: d.contentId, metric: d.metric, gran: d.gran, bucket: d.bucket, dim: d.dim, counts: new Map(d.counts) });
    }
  }
}

/**
 * The readers' side of the log: its deltas as of the reader's snapshot (call it inside the read
 * transaction that reads the tables), summed per cell. Log rows never change and their ids are
 * never reused, so the view only adds the rows it has not seen, and starts over after a merge.
 */
export function createPendingReader(db: Database.Database): () => PendingView {
  let view: PendingView = { ids: [], sums: new Map(), sketches: new Map() };
  let st: { ids: Database.Statement; body: Database.Statement } | undefined;
  return () => {
    st ??= { ids: db.prepare('SELECT id FROM rm_pending ORDER BY id').pluck(), body: db.prepare('SELECT body FROM rm_pending WHERE id = ?').pluck() };
    const ids = st.ids.all() as number[];
    const seen = view.ids;
    const extends_ = seen.length <= ids.length && seen.every((id, i) => ids[i] === id);
    if (!extends_) view = { ids: [], sums: new Map(), sketches: new Map() };
    for (const id of ids.slice(view.ids.length)) fold(view, decodeDeltas(st.body.get(id) as string));
    view.ids = ids;
    return view;
  };
}

/** What a sums or sketches read asked for. */
export interface PendingScope {
  orgKey: string;
  env: string;
  contentKind: SumDelta['contentKind'];
  contentIds: readonly string[];
  metrics: readonly string[];
  days?: { from: number; to: number };
  quarters: readonly number[];
}

/** The logged deltas a read asked for (day deltas in its range, quarter deltas in its list). */
function wanted<T extends SumDelta | SketchDelta>(m: Map<string, Map<string, Map<string, T>>>, q: PendingScope): T[] {
  const out: T[] = [];
  if (m.size === 0) return out;
  let quarters: Set<number> | undefined;
  for (const contentId of q.contentIds) {
    const byMetric = m.get(contentKey({ orgKey: q.orgKey, env: q.env, contentKind: q.contentKind, contentId }));
    if (!byMetric) continue;
    for (const metric of q.metrics) {
      for (const d of byMetric.get(metric)?.values() ?? []) {
        if (d.gran === 'd' ? q.days && d.bucket >= q.days.from && d.bucket < q.days.to : (quarters ??= new Set(q.quarters)).has(d.bucket)) out.push(d);
      }
    }
  }
  return out;
}

const rowKey = (contentId: string, metric: string, gran: string, bucket: number, dim: string) => `${contentId}\u0000${metric}\u0000${gran}\u0000${bucket}\u0000${dim}`;

/**
 * Adds the logged sum deltas a read asked for to the stored rows it read (`grouped`: day rows
 * summed per cell, bucket -1). Only stored rows in a bucket the log touches are looked up.
 */
export function withPendingSums(rows: SumRow[], view: PendingView, q: PendingScope & { grouped: boolean }): SumRow[] {
  const deltas = wanted(view.sums, q);
  if (deltas.length === 0) return rows;
  const add = new Map<string, SumRow>();
  const buckets = new Set<number>();
  for (const d of deltas) {
    const bucket = d.gran === 'd' && q.grouped ? -1 : d.bucket;
    const k = rowKey(d.contentId, d.metric, d.gran, bucket, d.dim);
    const r = add.get(k);
    if (r) r.value += d.value;
    else add.set(k, { content_id: d.contentId, metric: d.metric, gran: d.gran, bucket, dim: d.dim, value: d.value });
    buckets.add(bucket);
  }
  const out: SumRow[] = [];
  for (const r of rows) {
    const k = buckets.has(Number(r.bucket)) ? rowKey(r.content_id, r.metric, r.gran, Number(r.bucket), r.dim) : undefined;
    const a = k === undefined ? undefined : add.get(k);
    if (!a) out.push(r);
    else {
      add.delete(k!);
      const value = Number(r.value) + a.value;
      if (value !== 0) out.push({ ...r, value });
    }
  }
  for (const a of add.values()) if (a.value !== 0) out.push(a);
  return out;
}

/** Adds the logged sketch deltas a read asked for to the stored rows it read (a row left without counts goes). */
export function withPendingSketches(rows: SketchRow[], view: PendingView, q: PendingScope): SketchRow[] {
  const deltas = wanted(view.sketches, q);
  if (deltas.length === 0) return rows;
  const add = new Map<string, SketchDelta>();
  for (const d of deltas) add.set(rowKey(d.contentId, d.metric, d.gran, d.bucket, d.dim), d);
  const out: SketchRow[] = [];
  const merged = (counts: SketchCounts, r: SketchRow) => counts.size ? out.push({ ...r, counts: encodeCounts(counts) }) : 0;
  for (const r of rows) {
    const k = rowKey(r.content_id, r.metric, r.gran, Number(r.bucket), r.dim);
    const a = add.get(k);
    if (!a) out.push(r);
    else {
      add.delete(k);
      merged(addCounts(decodeCountsInto(new Map(), r.counts), a.counts), r);
    }
  }
  for (const a of add.values()) merged(new Map(a.counts), { content_id: a.contentId, metric: a.metric, gran: a.gran, bucket: a.bucket, dim: a.dim, counts: new Uint8Array(0) });
  return out;
}
