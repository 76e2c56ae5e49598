/**
 * The accumulator of the read models' deltas: sums, sketch counts and counters added per key and
 * bucketed per UTC day and quarter hour, the ones that cancel out dropped. The processor adds
 * thousands of deltas per claim (every event-level sum, every entity's contributions), so this is
 * written for that: one lookup per content (the last one is remembered), one per metric and dim
 * (once for both buckets), a short list of rows per cell, and full keys never built — the result
 * is sorted by comparing fields.
 */
import type { ContentKind, CounterDelta } from '../store/types';
import type { SketchCounts } from './sketch';

export const DAY_MS = 86_400_000;
/** Finest bucket: every time zone's UTC offset is a multiple of 15 minutes. */
export const QUARTER_MS = 900_000;
const HOUR_MS = 3_600_000;

/** Bucket granularity of the sums: a UTC day, or a quarter hour. */
export type SumGranularity = 'd' | 'q';

/** Where a read-model delta goes: content, metric, bucket and dimension. `bucket` is the UTC ms of its start. */
export interface DeltaCell {
  orgKey: string;
  env: string;
  contentKind: ContentKind;
  contentId: string;
  metric: string;
  gran: SumGranularity;
  bucket: number;
  dim: string;
}

/** One delta of the read-model sums (table `rm_sums`). */
export interface SumDelta extends DeltaCell {
  value: number;
}

/** One delta of the read-model sketches (table `rm_sketches`): counts to add per sketch key. */
export interface SketchDelta extends DeltaCell {
  counts: SketchCounts;
}

/** What identifies a content: org, environment, kind, id. */
export type SumBase = Pick<SumDelta, 'orgKey' | 'env' | 'contentKind' | 'contentId'>;

/** The key of a content in maps of deltas: its four names joined by NUL. */
export const contentKeyOf = (orgKey: string, env: string, contentKind: string, contentId: string): string => `${orgKey}\u0000${env}\u0000${contentKind}\u0000${contentId}`;

export const dayOf = (ts: number): number => ts - (((ts % DAY_MS) + DAY_MS) % DAY_MS);
export const quarterOf = (ts: number): number => ts - (((ts % QUARTER_MS) + QUARTER_MS) % QUARTER_MS);

/**
 * The deltas of one content: per metric, per dim, its rows (a claim touches few buckets of a cell:
 * a list beats a map). Nested maps, not a joined key: metric and dim strings are looked up as they
 * are (their hash is computed once per string), no new string per delta.
 */
interface ContentDeltas {
  key: string;
  base: SumBase;
  sums: Map<string, Map<string, SumDelta[]>>;
  sketches: Map<string, Map<string, SketchDelta[]>>;
}

function cell<T>(m: Map<string, Map<string, T[]>>, metric: string, dim: string): T[] {
  let byDim = m.get(metric);
  if (!byDim) m.set(metric, (byDim = new Map()));
  let rows = byDim.get(dim);
  if (!rows) byDim.set(dim, (rows = []));
  return rows;
}

function addCount(d: SketchDelta, key: number, value: number): void {
  const n = (d.counts.get(key) ?? 0) + value;
  if (n === 0) d.counts.delete(key);
  else d.counts.set(key, n);
}

function rowAt<T extends { gran: SumGranularity; bucket: number }>(rows: T[], gran: SumGranularity, bucket: number): T | undefined {
  for (const r of rows) if (r.bucket === bucket && r.gran === gran) return r;
  return undefined;
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** The order of the primary key after the content: metric, granularity, bucket, dim. */
const cmpRow = (a: SumDelta | SketchDelta, b: SumDelta | SketchDelta) =>
  cmpStr(a.metric, b.metric) || cmpStr(a.gran, b.gran) || a.bucket - b.bucket || cmpStr(a.dim, b.dim);

/** Accumulates sum, sketch and counter deltas per key, dropping the ones that cancel out. */
export class DeltaSink {
  private readonly contents = new Map<string, ContentDeltas>();
  private readonly counterMap = new Map<string, CounterDelta>();
  // the last content used: an entity's contributions, a batch's events all go to the same one
  private last: ContentDeltas | undefined;
  // the periods of the last counter hour (a session's two end counters, and most sessions of a claim, share it)
  private lastHourIndex = NaN;
  private lastHour = '';
  private lastDay = '';

  /**
   * The deltas of a content (created on first use). It takes the four strings, not the object
   * that holds them: events, entities and deltas all name a content, and one property load over
   * all their shapes would be polymorphic (and its optimised code thrown away at every new one).
   */
  private content(orgKey: string, env: string, contentKind: SumBase['contentKind'], contentId: string): ContentDeltas {
    const l = this.last;
    if (l) {
      const b = l.base;
      if (contentId === b.contentId && contentKind === b.contentKind && env === b.env && orgKey === b.orgKey) return l;
    }
    const k = contentKeyOf(orgKey, env, contentKind, contentId);
    let c = this.contents.get(k);
    if (!c) this.contents.set(k, (c = { key: k, base: { orgKey, env, contentKind, contentId }, sums: new Map(), sketches: new Map() }));
    this.last = c;
    return c;
  }

  private sumRows(c: ContentDeltas, metric: string, dim: string): SumDelta[] {
    return cell(c.sums, metric, dim);
  }

  private addSum(c: ContentDeltas, rows: SumDelta[], metric: string, dim: string, gran: SumGranularity, bucket: number, value: number): void {
    const d = rowAt(rows, gran, bucket);
    if (d) {
      d.value += value;
      return;
    }
    const b = c.base;
    rows.push({ orgKey: b.orgKey, env: b.env, contentKind: b.contentKind, contentId: b.contentId, metric, gran, bucket, dim, value });
  }

  private sketchRow(c: ContentDeltas, metric: string, dim: string, gran: SumGranularity, bucket: number): SketchDelta {
    const rows = cell(c.sketches, metric, dim);
    let d = rowAt(rows, gran, bucket);
    if (!d) {
      const b = c.base;
      rows.push((d = { orgKey: b.orgKey, env: b.env, contentKind: b.contentKind, contentId: b.contentId, metric, gran, bucket, dim, counts: new Map() }));
    }
    return d;
  }

  /** Adds `value` to a sum, at the UTC day and the quarter hour of `ts`. */
  sum(base: SumBase, ts: number, metric: string, dim: string, value: number): void {
    const c = this.content(base.orgKey, base.env, base.contentKind, base.contentId);
    const rows = this.sumRows(c, metric, dim);
    this.addSum(c, rows, metric, dim, 'd', dayOf(ts), value);
    this.addSum(c, rows, metric, dim, 'q', quarterOf(ts), value);
  }

  /** {@link sum} with the day and quarter hour already computed (an entity's contributions all share its start's). */
  sumAt(base: SumBase, day: number, quarter: number, metric: string, dim: string, value: number): void {
    const c = this.content(base.orgKey, base.env, base.contentKind, base.contentId);
    const rows = this.sumRows(c, metric, dim);
    this.addSum(c, rows, metric, dim, 'd', day, value);
    this.addSum(c, rows, metric, dim, 'q', quarter, value);
  }

  /** Adds one delta row as it is (already bucketed). */
  add(r: SumDelta, sign = 1): void {
    const c = this.content(r.orgKey, r.env, r.contentKind, r.contentId);
    this.addSum(c, this.sumRows(c, r.metric, r.dim), r.metric, r.dim, r.gran, r.bucket, sign * r.value);
  }

  /** Adds `value` to the count of sketch `key` (per UTC day and quarter hour of `ts`). */
  sketch(base: SumBase, ts: number, metric: string, dim: string, key: number, value: number): void {
    this.sketchAt(base, dayOf(ts), quarterOf(ts), metric, dim, key, value);
  }

  /** {@link sketch} with the day and quarter hour already computed. */
  sketchAt(base: SumBase, day: number, quarter: number, metric: string, dim: string, key: number, value: number): void {
    const c = this.content(base.orgKey, base.env, base.contentKind, base.contentId);
    addCount(this.sketchRow(c, metric, dim, 'd', day), key, value);
    addCount(this.sketchRow(c, metric, dim, 'q', quarter), key, value);
  }

  /** Adds one sketch delta as it is (already bucketed), times `sign`. */
  addSketch(r: SketchDelta, sign = 1): void {
    const d = this.sketchRow(this.content(r.orgKey, r.env, r.contentKind, r.contentId), r.metric, r.dim, r.gran, r.bucket);
    for (const [key, n] of r.counts) addCount(d, key, sign * n);
  }

  /** Adds `value` to a counter (no dimension) at the UTC hour and day of `ts`. */
  counter(base: Pick<CounterDelta, 'orgKey' | 'env' | 'contentKind' | 'contentId'>, metric: string, ts: number, value: number): void {
    // the periods depend on the hour only: sessions ending in the same hour share one date formatting
    const hour = Math.floor(ts / HOUR_MS);
    if (hour !== this.lastHourIndex) {
      const iso = new Date(hour * HOUR_MS).toISOString();
      this.lastHourIndex = hour;
      this.lastHour = iso.slice(0, 13);
      this.lastDay = iso.slice(0, 10);
    }
    const prefix = `${base.orgKey}\u0000${base.env}\u0000${base.contentKind}\u0000${base.contentId}\u0000`;
    this.addCounter(base, prefix, 'hour', this.lastHour, metric, value);
    this.addCounter(base, prefix, 'day', this.lastDay, metric, value);
  }

  private addCounter(base: Pick<CounterDelta, 'orgKey' | 'env' | 'contentKind' | 'contentId'>, prefix: string, granularity: 'hour' | 'day', period: string, metric: string, value: number): void {
    const k = `${prefix}${granularity}\u0000${period}\u0000${metric}\u0000`;
    const d = this.counterMap.get(k);
    if (d) d.value += value;
    else this.counterMap.set(k, { orgKey: base.orgKey, env: base.env, contentKind: base.contentKind, contentId: base.contentId, granularity, period, metric, dim: '', value });
  }

  /**
   * The non-zero deltas, sorted by primary key (org, env, kind, content, metric, granularity,
   * bucket, dim: the lock order a concurrent engine needs).
   */
  result(): { sums: SumDelta[]; counters: CounterDelta[]; sketches: SketchDelta[] } {
    const sums: SumDelta[] = [];
    const sketches: SketchDelta[] = [];
    const contents = [...this.contents.values()].sort((a, b) => cmpStr(a.key, b.key));
    for (const c of contents) {
      const from = sums.length;
      for (const byDim of c.sums.values()) for (const rows of byDim.values()) for (const d of rows) if (d.value !== 0) sums.push(d);
      sortFrom(sums, from);
      const fromSketch = sketches.length;
      for (const byDim of c.sketches.values()) for (const rows of byDim.values()) for (const d of rows) if (d.counts.size > 0) sketches.push(d);
      sortFrom(sketches, fromSketch);
    }
    const counters = [...this.counterMap.keys()].sort().map((k) => this.counterMap.get(k)!).filter((d) => d.value !== 0);
    return { sums, counters, sketches };
  }
}

/** Sorts `xs[from..]` in place by {@link cmpRow}. */
function sortFrom<T extends SumDelta | SketchDelta>(xs: T[], from: number): void {
  if (xs.length - from < 2) return;
  const part = xs.splice(from).sort(cmpRow);
  for (const x of part) xs.push(x);
}
