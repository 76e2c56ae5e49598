/**
 * Local days and hours from the read-model sums. Sums are kept per UTC day and per quarter hour;
 * every zone's offset is a multiple of 15 minutes, so any local day is exactly the UTC day nearest
 * to it plus or minus the quarter hours in between:
 *
 *   [start, end) = [d0, d1) + [start, d0) + [d1, end)      d0, d1 = start, end rounded to a UTC midnight
 *
 * where a segment whose ends are reversed counts negatively. Europe/Paris (+01:00) reads one day
 * and 2 × 4 quarters per local day; Asia/Kolkata (+05:30) one day and 2 × 22 quarters; UTC one day.
 * Short spans (an hour of the hourly view) are read as quarters only. Adjacent days share their
 * edge quarters, so a range of N days reads N day rows and about N × (offset) quarter rows per key.
 */
import { DAY_MS, QUARTER_MS, type SumGranularity } from '../rollups/readmodel';
import { CountsAccumulator, type SketchCounts } from '../rollups/sketch';
import type { SumRow } from '../store/readmodel-sql';
import type { ContentKind } from '../store/types';
import type { AnalyticsReader, Scope } from './reader';

/** A half-open UTC interval `[start, end)` in ms, on quarter-hour boundaries. */
export interface Span {
  start: number;
  end: number;
}

/** One bucket of a span's sum, added (`sign` 1) or subtracted (−1). */
export interface Piece {
  gran: SumGranularity;
  bucket: number;
  sign: 1 | -1;
}

const quarters = (a: number, b: number, sign: 1 | -1, out: Piece[]) => {
  for (let t = a; t < b; t += QUARTER_MS) out.push({ gran: 'q', bucket: t, sign });
};

/** The buckets whose signed sum is exactly the span. */
export function piecesOf(span: Span): Piece[] {
  const out: Piece[] = [];
  if (span.end - span.start < DAY_MS / 2) {
    quarters(span.start, span.end, 1, out);
    return out;
  }
  const d0 = Math.round(span.start / DAY_MS) * DAY_MS;
  const d1 = Math.round(span.end / DAY_MS) * DAY_MS;
  for (let t = d0; t < d1; t += DAY_MS) out.push({ gran: 'd', bucket: t, sign: 1 });
  if (span.start < d0) quarters(span.start, d0, 1, out);
  else quarters(d0, span.start, -1, out);
  if (span.end > d1) quarters(d1, span.end, 1, out);
  else quarters(span.end, d1, -1, out);
  return out;
}

/** Sums of one window: content → metric → dim → value. */
export type Sums = Map<string, Map<string, Map<string, number>>>;

/** One value of a window (0 when absent). */
export const valueOf = (s: Sums, contentId: string, metric: string, dim = ''): number => s.get(contentId)?.get(metric)?.get(dim) ?? 0;
/** Every dimension of one metric of a window. */
export const dimsOf = (s: Sums, contentId: string, metric: string): Map<string, number> => s.get(contentId)?.get(metric) ?? new Map();

function addTo(s: Sums, r: SumRow, sign: number): void {
  let c = s.get(r.content_id);
  if (!c) s.set(r.content_id, (c = new Map()));
  let m = c.get(r.metric);
  if (!m) c.set(r.metric, (m = new Map()));
  m.set(r.dim, (m.get(r.dim) ?? 0) + sign * r.value);
}

/** Adds window `b` into window `a`. */
export function mergeInto(a: Sums, b: Sums): Sums {
  for (const [c, ms] of b) for (const [m, ds] of ms) for (const [d, v] of ds) addTo(a, { content_id: c, metric: m, gran: 'd', bucket: 0, dim: d, value: v }, 1);
  return a;
}

/** What to read for some windows of one content kind. */
export interface WindowQuery {
  contentKind: ContentKind;
  contentIds: string[];
  metrics: readonly string[];
  spans: readonly Span[];
  /**
   * one window only: its day rows are summed by the store (few rows however long the range);
   * otherwise day rows come one by one and go to their window
   */
  grouped?: boolean;
}

interface Plan {
  /** bucket key (day ms, or −quarter ms − 1) → the windows it counts for, with its sign */
  byBucket: Map<number, { w: number; sign: 1 | -1 }[]>;
  days?: { from: number; to: number };
  quarters: number[];
}

function plan(spans: readonly Span[], grouped: boolean): Plan {
  const byBucket = new Map<number, { w: number; sign: 1 | -1 }[]>();
  const quarterSet = new Set<number>();
  let dayFrom = Infinity;
  let dayTo = -Infinity;
  spans.forEach((span, w) => {
    for (const p of piecesOf(span)) {
      if (p.gran === 'd') {
        dayFrom = Math.min(dayFrom, p.bucket);
        dayTo = Math.max(dayTo, p.bucket + DAY_MS);
        if (grouped) continue;
      } else quarterSet.add(p.bucket);
      const k = bucketKey(p.gran, p.bucket);
      let list = byBucket.get(k);
      if (!list) byBucket.set(k, (list = []));
      list.push({ w, sign: p.sign });
    }
  });
  return { byBucket, days: dayFrom < dayTo ? { from: dayFrom, to: dayTo } : undefined, quarters: [...quarterSet].sort((a, b) => a - b) };
}

/** Day and quarter buckets in one key space (they never collide). */
const bucketKey = (gran: SumGranularity, bucket: number) => (gran === 'd' ? bucket : -bucket - 1);

/** Reads the sums of each span (exact: the signed buckets of {@link piecesOf}). */
export async function readWindows(reader: AnalyticsReader, scope: Scope, q: WindowQuery): Promise<Sums[]> {
  const out: Sums[] = q.spans.map(() => new Map());
  if (q.contentIds.length === 0 || q.spans.length === 0) return out;
  const grouped = q.grouped === true && q.spans.length === 1;
  const p = plan(q.spans, grouped);
  if (!p.days && p.quarters.length === 0) return out;
  const rows = await reader.sums({ ...scope, contentKind: q.contentKind, contentIds: q.contentIds, metrics: [...q.metrics], days: p.days, quarters: p.quarters, grouped });
  for (const r of rows) {
    if (r.bucket === -1) {
      addTo(out[0]!, r, 1);
      continue;
    }
    for (const { w, sign } of p.byBucket.get(bucketKey(r.gran, r.bucket)) ?? []) addTo(out[w]!, r, sign);
  }
  return out;
}

/** Sketch counts of one window: content → metric → dim → counts per sketch key. */
export type SketchSums = Map<string, Map<string, Map<string, SketchCounts>>>;

/** The merged counts of one content × metric × dim of a window (empty when absent). */
export const countsOf = (s: SketchSums, contentId: string, metric: string, dim = ''): SketchCounts => s.get(contentId)?.get(metric)?.get(dim) ?? new Map();
/** Every dimension's counts of one metric of a window. */
export const sketchDimsOf = (s: SketchSums, contentId: string, metric: string): Map<string, SketchCounts> => s.get(contentId)?.get(metric) ?? new Map();

/** Reads the merged sketch counts of each span (the same signed buckets as {@link readWindows}). */
export async function readSketchWindows(reader: AnalyticsReader, scope: Scope, q: Omit<WindowQuery, 'grouped'>): Promise<SketchSums[]> {
  const out: SketchSums[] = q.spans.map(() => new Map());
  if (q.contentIds.length === 0 || q.spans.length === 0) return out;
  const p = plan(q.spans, false);
  if (!p.days && p.quarters.length === 0) return out;
  const rows = await reader.sketches({ ...scope, contentKind: q.contentKind, contentIds: q.contentIds, metrics: [...q.metrics], days: p.days, quarters: p.quarters });
  const acc = q.spans.map(() => new Map<string, CountsAccumulator>());
  for (const r of rows) {
    const key = `${r.content_id}\u0000${r.metric}\u0000${r.dim}`;
    for (const { w, sign } of p.byBucket.get(bucketKey(r.gran, r.bucket)) ?? []) {
      let a = acc[w]!.get(key);
      if (!a) acc[w]!.set(key, (a = new CountsAccumulator()));
      a.add(r.counts, sign);
    }
  }
  acc.forEach((m, w) => {
    for (const [key, a] of m) {
      const [contentId, metric, dim] = key.split('\u0000') as [string, string, string];
      let c = out[w]!.get(contentId);
      if (!c) out[w]!.set(contentId, (c = new Map()));
      let byDim = c.get(metric);
      if (!byDim) c.set(metric, (byDim = new Map()));
      byDim.set(dim, a.counts());
    }
  });
  return out;
}
