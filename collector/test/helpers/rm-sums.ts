/**
 * The read-model sums of a store as one row per bucket, whatever the engine's layout: SQLite
 * keeps a day's quarter-hour sums in columns `q0` … `q95` of its day row (`quarter-columns.ts`),
 * PostgreSQL one row per quarter. Tests compare states through this.
 */
import { QUARTER_MS } from '../../src/rollups/delta-sink';

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
    for (let i = 0; i < 96; i++) {
      const v = Number(r[`q${i}`] ?? 0);
      if (v !== 0) out.push({ org, env, kind, content_id, metric, gran: 'q', bucket: Number(r.bucket) + i * QUARTER_MS, dim, value: v });
    }
  }
  return out;
}
