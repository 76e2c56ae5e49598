/**
 * How SQLite stores the quarter-hour read-model sums: in the day row itself. A row of `rm_sums`
 * (always `gran` 'd') holds the day's total in `value` and its quarter hours in `h0` … `h47`, two
 * per column: `h{j}` = quarter 2j + quarter 2j+1 × 2^32 (quarter i of the UTC day starts at
 * `bucket + i × 15 min`). The processor touches a cell (content × metric × dim) in one or two days
 * and a few quarters per claim: one upsert per cell and day instead of one per bucket (every SQLite
 * row write costs the same few µs, so rows are what the processor pays for), and an upsert's cost
 * grows with the row's column count, which the pairs halve. A zero column costs one byte of the
 * record's header (SQLite stores 0 as a type code without a body).
 *
 * Pairs add up exactly as plain integers do: a column is the sum of its deltas, each
 * `lo + hi × 2^32`, so it equals its two quarters' sums packed the same way whatever the order and
 * sign of the deltas, as long as each quarter's sum stays in [0, 2^31) (two billion per cell and
 * quarter hour). Columns past 2^53 are read as BigInt.
 *
 * The rest of the code sees the usual `gran` 'q' rows: this module packs the deltas before they
 * are written and unpacks the rows it reads. PostgreSQL keeps one row per quarter (one multi-row
 * statement per claim whatever the number of rows).
 */
import type Database from 'better-sqlite3';
import { DAY_MS, QUARTER_MS, type SumDelta } from '../../rollups/delta-sink';
import type { SumRow } from '../readmodel-sql';

export const QUARTERS_PER_DAY = DAY_MS / QUARTER_MS;
const col = (i: number) => `q${i}`;
/** Columns of quarter pairs (migration 12): quarter i is in column `h{i >> 1}`, lane `i & 1`. */
export const PAIRS_PER_DAY = QUARTERS_PER_DAY / 2;
const pairCol = (j: number) => `h${j}`;
const LANE = 2 ** 32;
const LANE_BITS = 32n;
const LOW = 0xffffffffn;
/** A pair column's value for the deltas (or sums) of its two quarters (BigInt past 2^53). */
export function packPair(even: number, odd: number): number | bigint {
  const v = even + odd * LANE;
  return Number.isSafeInteger(v) ? v : BigInt(even) + (BigInt(odd) << LANE_BITS);
}
/** The two quarters' sums of a pair column. */
export function unpackPair(v: bigint | number): [number, number] {
  const b = BigInt(v);
  return [Number(b & LOW), Number(b >> LANE_BITS)];
}

/** Migration: the quarter columns, existing quarter rows moved into their day row (one pass), then dropped, and zero rows dropped. */
export function quarterColumnsMigration(): string {
  const parts: string[] = [];
  for (let i = 0; i < QUARTERS_PER_DAY; i++) parts.push(`ALTER TABLE rm_sums ADD COLUMN ${col(i)} INTEGER NOT NULL DEFAULT 0;`);
  const day = `bucket - bucket % ${DAY_MS}`;
  const cells = 'org, env, kind, content_id, metric, dim';
  // a quarter row always has its day row (both are written together); this only guards the move
  parts.push(`INSERT INTO rm_sums (org, env, kind, content_id, metric, gran, bucket, dim, value)
    SELECT org, env, kind, content_id, metric, 'd', ${day}, dim, SUM(value) FROM rm_sums WHERE gran = 'q'
    GROUP BY ${cells}, ${day} ON CONFLICT DO NOTHING;`);
  const sums = Array.from({ length: QUARTERS_PER_DAY }, (_, i) => `SUM(CASE WHEN bucket % ${DAY_MS} = ${i * QUARTER_MS} THEN value ELSE 0 END) AS ${col(i)}`);
  parts.push(`UPDATE rm_sums AS d SET ${Array.from({ length: QUARTERS_PER_DAY }, (_, i) => `${col(i)} = q.${col(i)}`).join(', ')}
    FROM (SELECT ${cells}, ${day} AS day, ${sums.join(', ')} FROM rm_sums WHERE gran = 'q' GROUP BY ${cells}, ${day}) AS q
    WHERE d.gran = 'd' AND d.org = q.org AND d.env = q.env AND d.kind = q.kind AND d.content_id = q.content_id
      AND d.metric = q.metric AND d.dim = q.dim AND d.bucket = q.day;`);
  // and the zero rows older versions left behind (a zero day has zero quarters: no sum is negative)
  parts.push(`DELETE FROM rm_sums WHERE gran = 'q' OR value = 0;`);
  return parts.join('\n');
}

/** One cell's deltas of one UTC day: the day's delta and the quarters' (index → delta). */
interface DayDelta {
  day: SumDelta;
  quarters: Map<number, number>;
}

const dayOf = (ts: number) => ts - (((ts % DAY_MS) + DAY_MS) % DAY_MS);

/**
 * Groups sum deltas (day and quarter rows) per cell and day. They come sorted by content and
 * metric (`DeltaSink.result`), so a group of one content × metric is keyed by dim and day only,
 * without a joined string key per delta; the order of first appearance is kept.
 */
export function packByDay(sums: readonly SumDelta[]): DayDelta[] {
  const out: DayDelta[] = [];
  let group = new Map<string, Map<number, DayDelta>>();
  let prev: SumDelta | undefined;
  for (const d of sums) {
    if (!prev || prev.metric !== d.metric || prev.contentId !== d.contentId || prev.contentKind !== d.contentKind || prev.env !== d.env || prev.orgKey !== d.orgKey) group = new Map();
    prev = d;
    const day = d.gran === 'd' ? d.bucket : dayOf(d.bucket);
    let byDay = group.get(d.dim);
    if (!byDay) group.set(d.dim, (byDay = new Map()));
    let p = byDay.get(day);
    if (!p) {
      byDay.set(day, (p = { day: { ...d, gran: 'd', bucket: day, value: 0 }, quarters: new Map() }));
      out.push(p);
    }
    if (d.gran === 'd') p.day.value += d.value;
    else {
      const i = (d.bucket - day) / QUARTER_MS;
      p.quarters.set(i, (p.quarters.get(i) ?? 0) + d.value);
    }
  }
  return out;
}

/**
 * The quarters of one cell-day as runs of whole blocks of {@link BLOCK} columns (`[first, count]`),
 * at most {@link RUN_BLOCKS} blocks long, so that few statement texts exist (a statement is
 * prepared once per shape, and an upsert takes about 50 µs to prepare): a claim touches
 * the few consecutive quarters of its time and now and then the start of an older entity, and the
 * untouched columns of a block are written with 0 added. A day without quarter deltas is one run of
 * length 0.
 */
const BLOCK = 8;
const RUN_BLOCKS = 2;
export function quarterRuns(sorted: readonly number[]): [number, number][] {
  if (sorted.length === 0) return [[0, 0]];
  const runs: [number, number][] = [];
  let first = -1;
  let last = -1;
  for (const i of sorted) {
    const b = Math.floor(i / BLOCK);
    if (b === last) continue;
    if (first < 0 || b !== last + 1 || b - first >= RUN_BLOCKS) {
      if (first >= 0) runs.push([first * BLOCK, (last - first + 1) * BLOCK]);
      first = b;
    }
    last = b;
  }
  runs.push([first * BLOCK, (last - first + 1) * BLOCK]);
  return runs;
}

/**
 * The writer of packed sums: one upsert per cell and day (and run of quarters), statements
 * prepared once per run shape; a row whose day total comes back to zero goes, as a rebuild would
 * not write it (its quarters are zero then too: no sum is ever negative).
 */
export function createQuarterWriter(db: Database.Database): (sums: readonly SumDelta[]) => void {
  const upserts = new Map<number, { add: Database.Statement; back?: Database.Statement; sql: string }>();
  const drop = db.prepare(`DELETE FROM rm_sums WHERE org = ? AND env = ? AND kind = ? AND content_id = ? AND metric = ? AND gran = 'd' AND bucket = ? AND dim = ?`);
  // a run of quarters [first, count] (even first and count) is the pair columns first/2 … (first+count)/2 - 1
  const statements = (first: number, count: number) => {
    const k = first * 100 + count;
    let s = upserts.get(k);
    if (!s) {
      const cols = Array.from({ length: count / 2 }, (_, j) => pairCol(first / 2 + j));
      const sql = `INSERT INTO rm_sums (org, env, kind, content_id, metric, gran, bucket, dim, value${cols.map((c) => `, ${c}`).join('')})
        VALUES (?, ?, ?, ?, ?, 'd', ?, ?, ?${cols.map(() => ', ?').join('')})
        ON CONFLICT (org, env, kind, content_id, metric, gran, bucket, dim) DO UPDATE SET value = value + excluded.value${cols.map((c) => `, ${c} = ${c} + excluded.${c}`).join('')}`;
      upserts.set(k, (s = { add: db.prepare(sql), sql }));
    }
    return s;
  };
  return (sums) => {
    for (const { day: d, quarters } of packByDay(sums)) {
      let value = d.value;
      let negative = value < 0;
      for (const [first, count] of quarterRuns([...quarters.keys()].sort((a, b) => a - b))) {
        const args: unknown[] = [d.orgKey, d.env, d.contentKind, d.contentId, d.metric, d.bucket, d.dim, value];
        for (let i = first; i < first + count; i += 2) {
          const even = quarters.get(i) ?? 0;
          const odd = quarters.get(i + 1) ?? 0;
          if (even < 0 || odd < 0) negative = true;
          args.push(packPair(even, odd));
        }
        value = 0; // the day's delta goes with the first run
        const st = statements(first, count);
        if (!negative) st.add.run(...args);
        else if ((st.back ??= db.prepare(`${st.sql} RETURNING value`).pluck()).get(...args) === 0) drop.run(d.orgKey, d.env, d.contentKind, d.contentId, d.metric, d.bucket, d.dim);
      }
    }
  };
}

/**
 * Reads quarter sums as `gran` 'q' rows: the day rows of the days the quarters fall in, only the
 * pair columns of the quarters' times of day, unpacked and filtered to the quarters asked for.
 * `all` must return integers as BigInt (better-sqlite3's `safeIntegers`): a pair column passes 2^53
 * once its odd quarter passes two million.
 */
export function readQuarterRows(
  all: (sql: string, params: unknown[]) => Record<string, unknown>[],
  q: { orgKey: string; env: string; contentKind: string; contentIds: readonly string[]; metrics: readonly string[]; quarters: readonly number[] },
): SumRow[] {
  if (q.quarters.length === 0) return [];
  const wanted = new Set(q.quarters);
  const days = [...new Set(q.quarters.map(dayOf))].sort((a, b) => a - b);
  const pairs = [...new Set(q.quarters.map((b) => ((b - dayOf(b)) / QUARTER_MS) >> 1))].sort((a, b) => a - b);
  const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  // few days by key; many (a range of local days in a zone off UTC) as one range
  const byKey = days.length <= 64;
  const sql = `SELECT content_id, metric, bucket, dim, ${pairs.map(pairCol).join(', ')} FROM rm_sums
    WHERE org = ? AND env = ? AND kind = ? AND content_id IN (${marks(q.contentIds.length)}) AND metric IN (${marks(q.metrics.length)})
      AND gran = 'd' AND ${byKey ? `bucket IN (${marks(days.length)})` : 'bucket >= ? AND bucket <= ?'}`;
  const params = [q.orgKey, q.env, q.contentKind, ...q.contentIds, ...q.metrics, ...(byKey ? days : [days[0]!, days[days.length - 1]!])];
  const out: SumRow[] = [];
  for (const r of all(sql, params)) {
    const day = Number(r.bucket);
    for (const j of pairs) {
      const lanes = unpackPair(r[pairCol(j)] as bigint);
      for (let lane = 0; lane < 2; lane++) {
        const v = lanes[lane]!;
        const bucket = day + (2 * j + lane) * QUARTER_MS;
        if (v !== 0 && wanted.has(bucket)) out.push({ content_id: String(r.content_id), metric: String(r.metric), gran: 'q', bucket, dim: String(r.dim), value: v });
      }
    }
  }
  return out;
}

/**
 * Migration: `rm_sums` with its quarters in pair columns (`h0` … `h47`, see above), and
 * `rm_sketches` as a rowid table with its key in a unique index. An upsert rewrites the whole
 * record of its row, so half the columns is what makes a sum's upsert cheaper; the sums stay in
 * their key's b-tree, where the rows of one cell's days lie together for the range reads. A sketch
 * row of about a kilobyte was past that b-tree's in-page limit (so each update also rewrote an
 * overflow page); in a rowid table it fits its page and is written back in place by rowid.
 */
export function pairedSumsMigration(): string {
  const key = `org TEXT NOT NULL, env TEXT NOT NULL, kind TEXT NOT NULL, content_id TEXT NOT NULL, metric TEXT NOT NULL,
    gran TEXT NOT NULL, bucket INTEGER NOT NULL, dim TEXT NOT NULL`;
  const keyCols = 'org, env, kind, content_id, metric, gran, bucket, dim';
  const pairs = Array.from({ length: PAIRS_PER_DAY }, (_, j) => pairCol(j));
  const packed = Array.from({ length: PAIRS_PER_DAY }, (_, j) => `${col(2 * j)} + ${col(2 * j + 1)} * ${LANE}`);
  return `
  CREATE TABLE rm_sums_paired (${key}, value INTEGER NOT NULL, ${pairs.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(', ')}, PRIMARY KEY (${keyCols})) WITHOUT ROWID;
  INSERT INTO rm_sums_paired (${keyCols}, value, ${pairs.join(', ')}) SELECT ${keyCols}, value, ${packed.join(', ')} FROM rm_sums ORDER BY ${keyCols};
  DROP TABLE rm_sums;
  ALTER TABLE rm_sums_paired RENAME TO rm_sums;
  CREATE TABLE rm_sketches_rowid (${key}, counts BLOB NOT NULL);
  INSERT INTO rm_sketches_rowid (${keyCols}, counts) SELECT ${keyCols}, counts FROM rm_sketches ORDER BY ${keyCols};
  DROP TABLE rm_sketches;
  ALTER TABLE rm_sketches_rowid RENAME TO rm_sketches;
  CREATE UNIQUE INDEX rm_sketches_key ON rm_sketches (${keyCols});
  `;
}
