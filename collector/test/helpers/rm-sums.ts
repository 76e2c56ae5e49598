/**
 * The read-model sums of a store as one row per bucket, whatever the engine's layout: SQLite
 * keeps a day's quarter-hour sums two per column in `h0` … `h47` of its day row (`quarter-columns.ts`),
 * PostgreSQL one row per quarter; SQLite also holds deltas not yet merged in its delta log
 * (`pending-deltas.ts`). Tests compare states through this.
 */
import { QUARTER_MS } from '../../src/rollups/delta-sink';
import { PAIRS_PER_DAY, unpackPair } from '../../src/store/sqlite/quarter-columns';
import { decodeDeltas, type PendingEntry } from '../../src/store/sqlite/pending-deltas';
import { addCounts, decodeCountsInto, encodeCounts } from '../../src/rollups/sketch';
import type { Store } from '../../src/store/types';
import type { SqliteStore } from '../../src/store/sqlite/index';

export interface BucketRow {
  org?: unknown;
  env?: unknown;
  kind: unknown;
  content_id: unknown;
  metric: unknown;
  gran: unknown;
  bucket: number;
  dim: unknown;
  value: number;
}

/** Expands rows of `SELECT * FROM rm_sums` into one row per day and per quarter (zero quarters left out). */
export function bucketRows(rows: readonly Record<string, unknown>[]): BucketRow[] {
  const out: BucketRow[] = [];
  for (const r of rows) {
    const { org, env, kind, content_id, metric, gran, dim } = r;
    out.push({ org, env, kind, content_id, metric, gran, bucket: Number(r.bucket), dim, value: Number(r.value) });
    for (let j = 0; j < PAIRS_PER_DAY; j++) {
      const lanes = unpackPair((r[`h${j}`] as number | bigint | undefined) ?? 0);
      lanes.forEach((v, lane) => {
        if (v !== 0) out.push({ org, env, kind, content_id, metric, gran: 'q', bucket: Number(r.bucket) + (2 * j + lane) * QUARTER_MS, dim, value: v });
      });
    }
  }
  return out;
}

/** A sketch row as the tests read it from `rm_sketches`. */
export interface SketchTestRow {
  kind: unknown;
  content_id: unknown;
  metric: unknown;
  gran: unknown;
  bucket: unknown;
  dim: unknown;
  counts: Uint8Array;
}

/** The bodies of SQLite's delta log (deltas not yet merged into the tables); none on PostgreSQL. */
export async function loggedDeltas(store: Store): Promise<PendingEntry[]> {
  if (store.engine !== 'sqlite') return [];
  const bodies = (store as SqliteStore).db.prepare('SELECT body FROM rm_pending ORDER BY id').pluck().all() as string[];
  return bodies.map(decodeDeltas);
}

const cellKey = (kind: unknown, content: unknown, metric: unknown, gran: unknown, bucket: unknown, dim: unknown) => `${kind}|${content}|${metric}|${gran}|${Number(bucket)}|${dim}`;

/** Sum rows as readers see them: the stored ones plus the logged deltas, zero rows left out. */
export function withLogged(rows: readonly BucketRow[], log: readonly PendingEntry[]): BucketRow[] {
  const byKey = new Map(rows.map((r) => [cellKey(r.kind, r.content_id, r.metric, r.gran, r.bucket, r.dim), { ...r }]));
  for (const entry of log) {
    for (const { sums } of entry.values()) {
      for (const d of sums) {
        const k = cellKey(d.contentKind, d.contentId, d.metric, d.gran, d.bucket, d.dim);
        const r = byKey.get(k);
        if (r) r.value = Number(r.value) + d.value;
        else byKey.set(k, { org: d.orgKey, env: d.env, kind: d.contentKind, content_id: d.contentId, metric: d.metric, gran: d.gran, bucket: d.bucket, dim: d.dim, value: d.value });
      }
    }
  }
  return [...byKey.values()].filter((r) => Number(r.value) !== 0);
}

/** Sketch rows as readers see them: the stored counts plus the logged ones, empty rows left out. */
export function withLoggedSketches(rows: readonly SketchTestRow[], log: readonly PendingEntry[]): SketchTestRow[] {
  const byKey = new Map(rows.map((r) => [cellKey(r.kind, r.content_id, r.metric, r.gran, r.bucket, r.dim), { row: r, counts: decodeCountsInto(new Map(), r.counts) }]));
  for (const entry of log) {
    for (const { sketches } of entry.values()) {
      for (const d of sketches) {
        const k = cellKey(d.contentKind, d.contentId, d.metric, d.gran, d.bucket, d.dim);
        let r = byKey.get(k);
        if (!r) byKey.set(k, (r = { row: { kind: d.contentKind, content_id: d.contentId, metric: d.metric, gran: d.gran, bucket: d.bucket, dim: d.dim, counts: new Uint8Array(0) }, counts: new Map() }));
        addCounts(r.counts, d.counts);
      }
    }
  }
  return [...byKey.values()].filter((r) => r.counts.size > 0).map((r) => ({ ...r.row, counts: encodeCounts(r.counts) }));
}
