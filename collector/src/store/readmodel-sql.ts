/**
 * The read SQL of the read models, written once for both engines (`?` placeholders; PostgreSQL
 * numbers them). Every read is a range or a list of keys of the `rm_sums` primary key
 * `(org, env, kind, content_id, metric, gran, bucket, dim)`: rows proportional to days × contents.
 */

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Quarter rows are read by key when few; many (a range of local days in a zone off UTC) are read as
 * one range filtered by time of day: the quarters a local day needs lie in a band before midnight
 * UTC and / or after it, the same every day (a superset across a DST change; the caller ignores the rest).
 */
export const QUARTER_KEYS_MAX = { sqlite: 4000, postgres: 64 } as const;
export type Engine = keyof typeof QUARTER_KEYS_MAX;
const DAY = 86_400_000;

/** How to read a quarter list: by key, or as a range with a before-/after-midnight band. */
export function quarterRead(engine: Engine, quarters: readonly number[]): { keys: readonly number[] } | { from: number; to: number; late: number; early: number } {
  if (quarters.length <= QUARTER_KEYS_MAX[engine]) return { keys: quarters };
  let late = DAY;
  let early = 0;
  for (const q of quarters) {
    const tod = ((q % DAY) + DAY) % DAY;
    if (tod >= DAY / 2) late = Math.min(late, tod);
    else early = Math.max(early, tod + 900_000);
  }
  return { from: quarters[0]!, to: quarters[quarters.length - 1]! + 1, late, early };
}

const quarterSql = (engine: Engine, n: number) =>
  n <= QUARTER_KEYS_MAX[engine] ? `bucket IN (${marks(n)})` : `bucket >= ? AND bucket < ? AND (bucket % ${DAY} >= ? OR bucket % ${DAY} < ?)`;

const quarterParams = (engine: Engine, quarters: readonly number[]): unknown[] => {
  const r = quarterRead(engine, quarters);
  return 'keys' in r ? [...r.keys] : [r.from, r.to, r.late, r.early];
};

/** Shape of one sums read (list lengths decide the SQL text). */
export interface SumsShape {
  /** key lookups are cheap on SQLite, a range with a filter is cheaper than many descents on PostgreSQL */
  engine: Engine;
  contentIds: number;
  metrics: number;
  /** read day rows of a range (`bucket >= ? AND bucket < ?`) */
  days: boolean;
  /** true: day rows summed per content × metric × dim (bucket -1); false: one row per day */
  grouped: boolean;
  /** quarter-hour buckets read by key */
  quarters: number;
}

/** One row of a sums read. */
export interface SumRow {
  content_id: string;
  metric: string;
  gran: 'd' | 'q';
  /** UTC ms of the bucket start; -1 for day rows summed over the range */
  bucket: number;
  dim: string;
  value: number;
}

/** SQL of a sums read; parameters per part: org, env, kind, ids…, metrics…, then the part's own. */
export function sumsSql(s: SumsShape): string {
  const head = `FROM rm_sums WHERE org = ? AND env = ? AND kind = ? AND content_id IN (${marks(s.contentIds)}) AND metric IN (${marks(s.metrics)})`;
  const parts: string[] = [];
  if (s.days) {
    parts.push(
      s.grouped
        ? `SELECT content_id, metric, 'd' AS gran, -1 AS bucket, dim, SUM(value) AS value ${head} AND gran = 'd' AND bucket >= ? AND bucket < ? GROUP BY content_id, metric, dim`
        : `SELECT content_id, metric, gran, bucket, dim, value ${head} AND gran = 'd' AND bucket >= ? AND bucket < ?`,
    );
  }
  if (s.quarters) parts.push(`SELECT content_id, metric, gran, bucket, dim, value ${head} AND gran = 'q' AND ${quarterSql(s.engine, s.quarters)}`);
  return parts.join('\nUNION ALL\n');
}

/** Parameters of {@link sumsSql}, in order. */
export function sumsParams(engine: Engine, q: { orgKey: string; env: string; contentKind: string; contentIds: readonly string[]; metrics: readonly string[]; days?: { from: number; to: number }; quarters: readonly number[] }): unknown[] {
  const head = [q.orgKey, q.env, q.contentKind, ...q.contentIds, ...q.metrics];
  const out: unknown[] = [];
  if (q.days) out.push(...head, q.days.from, q.days.to);
  if (q.quarters.length) out.push(...head, ...quarterParams(engine, q.quarters));
  return out;
}

/** SQL of the contents of some kinds that have read-model sums. */
export const contentsSql = (kinds: number): string =>
  `SELECT kind, content_id FROM rm_contents WHERE org = ? AND env = ? AND kind IN (${marks(kinds)}) ORDER BY kind, content_id`;

/** One row of a sketches read: the stored counts of one bucket (see `rollups/sketch.ts`). */
export interface SketchRow {
  content_id: string;
  metric: string;
  gran: 'd' | 'q';
  bucket: number;
  dim: string;
  counts: Uint8Array;
}

/** SQL of a sketches read: the day rows of a range and listed quarter rows (parameters as {@link sumsParams}). */
export function sketchesSql(s: Omit<SumsShape, 'grouped'>): string {
  const head = `SELECT content_id, metric, gran, bucket, dim, counts FROM rm_sketches WHERE org = ? AND env = ? AND kind = ? AND content_id IN (${marks(s.contentIds)}) AND metric IN (${marks(s.metrics)})`;
  const parts: string[] = [];
  if (s.days) parts.push(`${head} AND gran = 'd' AND bucket >= ? AND bucket < ?`);
  if (s.quarters) parts.push(`${head} AND gran = 'q' AND ${quarterSql(s.engine, s.quarters)}`);
  return parts.join('\nUNION ALL\n');
}
