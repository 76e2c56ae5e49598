/**
 * The read-model sums of a store as one row per bucket, whatever the engine's layout: SQLite
 * keeps a day's quarter-hour sums two per column in `h0` … `h47` of its day row (`quarter-columns.ts`),
 * PostgreSQL one row per quarter. Tests compare states through this.
 */
import { QUARTER_MS } from '../../src/rollups/delta-sink';
import { PAIRS_PER_DAY, unpackPair } from '../../src/store/sqlite/quarter-columns';

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
