/**
 * The read models the processor keeps next to the counters, engine-neutral: per journey session
 * and per tour attempt (one user's run of a tour in one session) a small state, and per-day /
 * per-quarter-hour sums derived from those states, so that analytics answers read rows
 * proportional to days × entities, never raw events.
 *
 * Convergence: a state is a join (min, max, union) of its events' facts, so it is the same whatever
 * the order the events arrive in, and a duplicate changes nothing. Every sum an entity adds is a
 * function of its state only (`contributions`); when a claim changes a state, the processor
 * subtracts the old state's contributions and adds the new one's (`foldEntities`). The sums
 * therefore always equal the contributions of the current states, as a rebuild would compute them.
 *
 * Attribution: an entity counts on the quarter hour (and UTC day) of its start, the time of its
 * earliest event, so sums over days add up to exact distinct counts in any time zone.
 */
import type { ContentKind, CounterDelta } from '../store/types';
import { sketchKey, type SketchCounts } from './sketch';

export const DAY_MS = 86_400_000;
/** Finest bucket: every time zone's UTC offset is a multiple of 15 minutes. */
export const QUARTER_MS = 900_000;

/** Bucket granularity of the sums: a UTC day, or a quarter hour. */
export type SumGranularity = 'd' | 'q';

/** One delta of the read-model sums (table `rm_sums`). `bucket` is the UTC ms of its start. */
export interface SumDelta {
  orgKey: string;
  env: string;
  contentKind: ContentKind;
  contentId: string;
  metric: string;
  gran: SumGranularity;
  bucket: number;
  dim: string;
  value: number;
}

/** One delta of the read-model sketches (table `rm_sketches`): counts to add per sketch key. */
export interface SketchDelta {
  orgKey: string;
  env: string;
  contentKind: ContentKind;
  contentId: string;
  metric: string;
  gran: SumGranularity;
  bucket: number;
  dim: string;
  counts: SketchCounts;
}

/** A journey session. Ties in time are broken by value, so the state never depends on arrival order. */
export interface SessionState {
  /** earliest event time of the session */
  s: number;
  /** its end: the earliest `session_end` [ts, completed 0|1, durationMs]; later ones change nothing */
  e?: [number, number, number];
  /** steps reached: step key → time of its first view */
  st: Record<string, number>;
  /** the latest step view [ts, step key] */
  l?: [number, string];
  /** device class and language of the earliest `session_start` [ts, device, language] */
  x?: [number, string, string];
}

/** A tour attempt: one user's run of a tour in one session. */
export interface AttemptState {
  /** earliest tour event time of the attempt */
  s: number;
  /** 1 once a TourStarted (or TourRestarted) is seen */
  a: number;
  /** steps viewed: step index → step id (the smallest id seen at that index) */
  v: Record<string, string>;
  /** the latest lifecycle event [ts, status]; on a tie the later status in STATUS_RANK wins */
  t?: [number, AttemptStatus];
}

export type AttemptStatus = 'in_progress' | 'dismissed' | 'completed';
const STATUS_RANK: Record<AttemptStatus, number> = { in_progress: 0, dismissed: 1, completed: 2 };

export type EntityKind = 'journey' | 'tour';
export type EntityState = SessionState | AttemptState;

/** One entity touched by a claim: its key, its user and the state its claimed events alone give. */
export interface EntityUpdate {
  orgKey: string;
  env: string;
  contentKind: EntityKind;
  contentId: string;
  /** session id */
  entityId: string;
  clientId: string;
  state: EntityState;
}

/** A stored entity row. */
export interface EntityRow extends EntityUpdate {}

export const entityKey = (e: Pick<EntityUpdate, 'orgKey' | 'env' | 'contentKind' | 'contentId' | 'entityId'>): string =>
  `${e.orgKey}\u0000${e.env}\u0000${e.contentKind}\u0000${e.contentId}\u0000${e.entityId}`;

const minMark = <T extends [number, ...unknown[]]>(a: T | undefined, b: T | undefined, later = false): T | undefined => {
  if (!a) return b;
  if (!b) return a;
  const c = cmpMark(a, b);
  return (later ? c >= 0 : c <= 0) ? a : b;
};
/** Orders [ts, ...values] tuples by time, then by their values (a deterministic tie-break). */
export function cmpMark(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number | string;
    const y = b[i] as number | string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The earlier of two ends; at the same ms a completed end wins over a timeout, then the shorter duration. */
export function firstEnd(a: [number, number, number], b: [number, number, number]): [number, number, number] {
  if (a[0] !== b[0]) return a[0] < b[0] ? a : b;
  if (a[1] !== b[1]) return a[1] > b[1] ? a : b;
  return a[2] <= b[2] ? a : b;
}

/** Joins two journey session states (commutative, associative, idempotent). */
export function joinSession(a: SessionState, b: SessionState): SessionState {
  const st = { ...a.st };
  for (const [k, t] of Object.entries(b.st)) if (st[k] === undefined || t < st[k]!) st[k] = t;
  const out: SessionState = { s: Math.min(a.s, b.s), st };
  const e = !a.e ? b.e : !b.e ? a.e : firstEnd(a.e, b.e);
  if (e) out.e = e;
  const l = minMark(a.l, b.l, true);
  if (l) out.l = l;
  const x = minMark(a.x, b.x);
  if (x) out.x = x;
  return out;
}

/** The later of two lifecycle marks; at the same ms the later status in STATUS_RANK wins. */
export function laterStatus(a: AttemptState['t'], b: AttemptState['t']): AttemptState['t'] {
  if (!a) return b;
  if (!b) return a;
  if (a[0] !== b[0]) return a[0] > b[0] ? a : b;
  return STATUS_RANK[a[1]] >= STATUS_RANK[b[1]] ? a : b;
}

/** Joins two tour attempt states. */
export function joinAttempt(a: AttemptState, b: AttemptState): AttemptState {
  const v = { ...a.v };
  for (const [i, id] of Object.entries(b.v)) if (v[i] === undefined || id < v[i]!) v[i] = id;
  const out: AttemptState = { s: Math.min(a.s, b.s), a: Math.max(a.a, b.a), v };
  const t = laterStatus(a.t, b.t);
  if (t) out.t = t;
  return out;
}

export function joinState(kind: EntityKind, a: EntityState, b: EntityState): EntityState {
  return kind === 'journey' ? joinSession(a as SessionState, b as SessionState) : joinAttempt(a as AttemptState, b as AttemptState);
}

/** Sums metric names of the entity read models (documented in docs/analytics.md). */
export const SESSION_METRICS = {
  sessions: 'j_sessions',
  completed: 'j_completed',
  ttc: 'j_ttc',
  step: 'j_step',
  stepPos: 'j_step_pos',
  dropoff: 'j_dropoff',
  device: 'j_device',
  language: 'j_language',
} as const;
export const ATTEMPT_METRICS = { started: 't_attempts', step: 't_step', status: 't_status' } as const;

/** Step dimension of an attempt's viewed step: zero-padded index (sorts numerically), `#`, step id. */
export const attemptStepDim = (index: string, stepId: string): string => `${index.padStart(6, '0')}#${stepId}`;

type Emit = (metric: string, dim: string, value: number) => void;
type EmitSketch = (metric: string, dim: string, key: number) => void;

/** What one state adds to the sums and sketches (at its start bucket). */
export function contributions(kind: EntityKind, state: EntityState, emit: Emit, sketch: EmitSketch = () => {}): void {
  if (kind === 'tour') {
    const t = state as AttemptState;
    const M = ATTEMPT_METRICS;
    if (t.a) emit(M.started, '', 1);
    for (const [i, id] of Object.entries(t.v)) emit(M.step, attemptStepDim(i, id), 1);
    if (t.t) emit(M.status, t.t[1], 1);
    return;
  }
  const s = state as SessionState;
  const M = SESSION_METRICS;
  const completed = s.e?.[1] === 1;
  emit(M.sessions, '', 1);
  if (completed) {
    emit(M.completed, '', 1);
    sketch(M.ttc, '', sketchKey(s.e![2]));
  }
  // position of each step in the session's own order of first views (ties: by key)
  const order = Object.entries(s.st).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  order.forEach(([k], pos) => {
    emit(M.step, k, 1);
    if (pos) emit(M.stepPos, k, pos);
  });
  if (!completed && s.l) emit(M.dropoff, s.l[1], 1);
  emit(M.device, s.x?.[1] ?? 'unknown', 1);
  emit(M.language, s.x?.[2] ?? 'unknown', 1);
}

/**
 * What one session adds to the journey counters: one `session_ends` (and one `completions` when it
 * completed) at the hour of its end. A second `session_end` of the same session counts nothing.
 */
export function endCounters(state: SessionState, emit: (metric: string, ts: number) => void): void {
  if (!state.e) return;
  emit('session_ends', state.e[0]);
  if (state.e[1] === 1) emit('completions', state.e[0]);
}

type SumBase = Omit<SumDelta, 'metric' | 'dim' | 'gran' | 'bucket' | 'value'>;

/**
 * The sums of one content, by `metric\u0000dim`, then by bucket. The processor adds thousands of
 * deltas per claim: short keys and numeric buckets keep that cheap; full keys are built once per
 * resulting row, for the sort.
 */
interface ContentSums {
  base: SumBase;
  /** per `metric\u0000dim`: its rows, day and quarter (a claim touches few buckets of a key: a list is cheaper than a map) */
  cells: Map<string, SumDelta[]>;
}

function addCount(d: SketchDelta, key: number, value: number): void {
  const n = (d.counts.get(key) ?? 0) + value;
  if (n === 0) d.counts.delete(key);
  else d.counts.set(key, n);
}

const dayOf = (ts: number) => ts - (((ts % DAY_MS) + DAY_MS) % DAY_MS);
const quarterOf = (ts: number) => ts - (((ts % QUARTER_MS) + QUARTER_MS) % QUARTER_MS);
const contentKeyOf = (b: SumBase) => `${b.orgKey}\u0000${b.env}\u0000${b.contentKind}\u0000${b.contentId}`;

/** Accumulates sum and counter deltas per key, dropping the ones that cancel out. */
export class DeltaSink {
  private readonly contents = new Map<string, ContentSums>();
  readonly counters = new Map<string, CounterDelta>();
  readonly sketches = new Map<string, SketchDelta>();
  // the last content used: an entity's contributions all go to the same one
  private lastBase: SumBase | undefined;
  private lastContent: ContentSums | undefined;

  private content(base: SumBase): ContentSums {
    const l = this.lastBase;
    if (l && base.contentId === l.contentId && base.contentKind === l.contentKind && base.env === l.env && base.orgKey === l.orgKey) return this.lastContent!;
    const k = contentKeyOf(base);
    let c = this.contents.get(k);
    if (!c) this.contents.set(k, (c = { base: { orgKey: base.orgKey, env: base.env, contentKind: base.contentKind, contentId: base.contentId }, cells: new Map() }));
    this.lastBase = base;
    this.lastContent = c;
    return c;
  }

  private addAt(c: ContentSums, metric: string, dim: string, gran: SumGranularity, bucket: number, value: number): void {
    const ck = `${metric}\u0000${dim}`;
    let rows = c.cells.get(ck);
    if (!rows) c.cells.set(ck, (rows = []));
    for (const d of rows) {
      if (d.bucket === bucket && d.gran === gran) {
        d.value += value;
        return;
      }
    }
    const b = c.base;
    rows.push({ orgKey: b.orgKey, env: b.env, contentKind: b.contentKind, contentId: b.contentId, metric, gran, bucket, dim, value });
  }

  /** Adds `value` to the count of sketch `key` (per UTC day and quarter hour of `ts`). */
  sketch(base: SumBase, ts: number, metric: string, dim: string, key: number, value: number): void {
    addCount(this.sketchRow(base, metric, 'd', dayOf(ts), dim), key, value);
    addCount(this.sketchRow(base, metric, 'q', quarterOf(ts), dim), key, value);
  }

  /** Adds one sketch delta as it is (already bucketed). */
  addSketch(r: SketchDelta, sign = 1): void {
    const d = this.sketchRow(r, r.metric, r.gran, r.bucket, r.dim);
    for (const [key, n] of r.counts) addCount(d, key, sign * n);
  }

  private sketchRow(b: SumBase, metric: string, gran: SumGranularity, bucket: number, dim: string): SketchDelta {
    const k = `${b.orgKey}\u0000${b.env}\u0000${b.contentKind}\u0000${b.contentId}\u0000${metric}\u0000${gran}\u0000${bucket}\u0000${dim}`;
    let d = this.sketches.get(k);
    if (!d) this.sketches.set(k, (d = { orgKey: b.orgKey, env: b.env, contentKind: b.contentKind, contentId: b.contentId, metric, gran, bucket, dim, counts: new Map() }));
    return d;
  }

  sum(base: SumBase, ts: number, metric: string, dim: string, value: number): void {
    const c = this.content(base);
    this.addAt(c, metric, dim, 'd', dayOf(ts), value);
    this.addAt(c, metric, dim, 'q', quarterOf(ts), value);
  }

  /** Adds one delta row as it is (already bucketed). */
  add(r: SumDelta): void {
    this.addAt(this.content(r), r.metric, r.dim, r.gran, r.bucket, r.value);
  }

  counter(base: Pick<CounterDelta, 'orgKey' | 'env' | 'contentKind' | 'contentId'>, metric: string, ts: number, value: number): void {
    const iso = new Date(ts).toISOString();
    for (const [granularity, period] of [['hour', iso.slice(0, 13)], ['day', iso.slice(0, 10)]] as const) {
      const k = `${base.orgKey}\u0000${base.env}\u0000${base.contentKind}\u0000${base.contentId}\u0000${granularity}\u0000${period}\u0000${metric}\u0000`;
      const d = this.counters.get(k);
      if (d) d.value += value;
      else this.counters.set(k, { ...base, granularity, period, metric, dim: '', value });
    }
  }

  /** Adds (sign 1) or retracts (sign −1) everything one entity state contributes. */
  entity(e: Omit<EntityUpdate, 'state' | 'clientId' | 'entityId'>, state: EntityState, sign: 1 | -1): void {
    const base = { orgKey: e.orgKey, env: e.env, contentKind: e.contentKind, contentId: e.contentId };
    contributions(
      e.contentKind, state,
      (metric, dim, value) => this.sum(base, state.s, metric, dim, sign * value),
      (metric, dim, key) => this.sketch(base, state.s, metric, dim, key, sign),
    );
    if (e.contentKind === 'journey') endCounters(state as SessionState, (metric, ts) => this.counter(base, metric, ts, sign));
  }

  /**
   * Replaces what `old` contributes by what `next` does. Both count at their start; when the start
   * bucket is the same (nearly always), only the contributions that differ are written.
   */
  change(e: Omit<EntityUpdate, 'state' | 'clientId' | 'entityId'>, old: EntityState, next: EntityState): void {
    const sameBucket = Math.floor(old.s / QUARTER_MS) === Math.floor(next.s / QUARTER_MS);
    if (!sameBucket) {
      this.entity(e, old, -1);
      this.entity(e, next, 1);
      return;
    }
    const diff = new Map<string, [string, string, number, number | undefined]>();
    const collect = (sign: number) => (metric: string, dim: string, value: number, key?: number) => {
      const k = `${metric}\u0000${dim}\u0000${key ?? ''}`;
      const d = diff.get(k);
      if (d) d[2] += sign * value;
      else diff.set(k, [metric, dim, sign * value, key]);
    };
    const emit = (sign: number) => {
      const c = collect(sign);
      return [c, (metric: string, dim: string, key: number) => c(metric, dim, 1, key)] as const;
    };
    contributions(e.contentKind, old, ...emit(-1));
    contributions(e.contentKind, next, ...emit(1));
    const base = { orgKey: e.orgKey, env: e.env, contentKind: e.contentKind, contentId: e.contentId };
    for (const [metric, dim, value, key] of diff.values()) {
      if (value === 0) continue;
      if (key === undefined) this.sum(base, next.s, metric, dim, value);
      else this.sketch(base, next.s, metric, dim, key, value);
    }
    if (e.contentKind === 'journey') {
      endCounters(old as SessionState, (metric, ts) => this.counter(base, metric, ts, -1));
      endCounters(next as SessionState, (metric, ts) => this.counter(base, metric, ts, 1));
    }
  }

  /** The non-zero deltas, sorted by key (the lock order a concurrent engine needs). */
  result(): { sums: SumDelta[]; counters: CounterDelta[]; sketches: SketchDelta[] } {
    const keyed: [string, SumDelta][] = [];
    for (const [ck, c] of this.contents) {
      for (const rows of c.cells.values()) {
        for (const d of rows) if (d.value !== 0) keyed.push([`${ck}\u0000${d.metric}\u0000${d.gran}\u0000${d.bucket}\u0000${d.dim}`, d]);
      }
    }
    keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const counters = [...this.counters.keys()].sort().map((k) => this.counters.get(k)!).filter((d) => d.value !== 0);
    const sketches = [...this.sketches.keys()].sort().map((k) => this.sketches.get(k)!).filter((d) => d.counts.size > 0);
    return { sums: keyed.map((e) => e[1]), counters, sketches };
  }
}

/** Deep equality of two states (plain objects, arrays, numbers, strings; object key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** The result of folding a claim's entity updates into the stored states. */
export interface EntityFold {
  /** rows to write (new or changed states) */
  writes: EntityRow[];
  sums: SumDelta[];
  counters: CounterDelta[];
  sketches: SketchDelta[];
}

/**
 * Joins each update into its stored state (`stored`, keyed by {@link entityKey}) and returns the
 * rows to write plus the sum, sketch and counter deltas (old contributions out, new ones in).
 * Event-level sums and sketches of the same claim (`extra`, `extraSketches`) join the same deltas.
 */
export function foldEntities(
  updates: readonly EntityUpdate[], stored: ReadonlyMap<string, EntityState>, extra: readonly SumDelta[] = [], extraSketches: readonly SketchDelta[] = [],
): EntityFold {
  const sink = new DeltaSink();
  const writes: EntityRow[] = [];
  for (const u of updates) {
    const old = stored.get(entityKey(u));
    const next = old ? joinState(u.contentKind, old, u.state) : u.state;
    if (old && sameValue(old, next)) continue;
    if (old) sink.change(u, old, next);
    else sink.entity(u, next, 1);
    writes.push({ ...u, state: next });
  }
  for (const d of extra) sink.add(d);
  for (const d of extraSketches) sink.addSketch(d);
  return { writes, ...sink.result() };
}

/** The deltas that remove entities entirely (user deletion). */
export function retractEntities(rows: readonly EntityRow[]): { sums: SumDelta[]; counters: CounterDelta[]; sketches: SketchDelta[] } {
  const sink = new DeltaSink();
  for (const r of rows) sink.entity(r, r.state, -1);
  return sink.result();
}
