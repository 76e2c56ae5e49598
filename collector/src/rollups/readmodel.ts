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
import type { CounterDelta } from '../store/types';
import { DeltaSink, dayOf, quarterOf, type SketchDelta, type SumDelta } from './delta-sink';
import { sketchKey } from './sketch';

export { DAY_MS, DeltaSink, QUARTER_MS, type SketchDelta, type SumDelta, type SumGranularity } from './delta-sink';

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

/**
 * A session state with every field present, in one order. States whose optional fields were added
 * in the order their events came have many hidden classes, and the optimised code that reads them
 * is thrown away each time one more shows up; absent fields are `undefined` (JSON leaves them out).
 */
export const sessionState = (s: number, st: Record<string, number>, e?: SessionState['e'], l?: SessionState['l'], x?: SessionState['x']): SessionState => ({ s, st, e, l, x });
/** A tour attempt state with every field present (see {@link sessionState}). */
export const attemptState = (s: number, a: number, v: Record<string, string>, t?: AttemptState['t']): AttemptState => ({ s, a, v, t });

/** A stored state (its JSON) in the fixed shape of {@link sessionState} / {@link attemptState}. */
export function parseState(kind: EntityKind, json: string): EntityState {
  const p = JSON.parse(json) as SessionState & AttemptState;
  return kind === 'journey' ? sessionState(p.s, p.st, p.e, p.l, p.x) : attemptState(p.s, p.a, p.v, p.t);
}

/** Joins two journey session states (commutative, associative, idempotent). */
export function joinSession(a: SessionState, b: SessionState): SessionState {
  const st = { ...a.st };
  for (const [k, t] of Object.entries(b.st)) if (st[k] === undefined || t < st[k]!) st[k] = t;
  const e = !a.e ? b.e : !b.e ? a.e : firstEnd(a.e, b.e);
  return sessionState(Math.min(a.s, b.s), st, e, minMark(a.l, b.l, true), minMark(a.x, b.x));
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
  return attemptState(Math.min(a.s, b.s), Math.max(a.a, b.a), v, laterStatus(a.t, b.t));
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

type EntityBase = Omit<EntityUpdate, 'state' | 'clientId' | 'entityId'>;

/** Adds (sign 1) or retracts (sign −1) everything one entity state contributes to `sink`. */
export function addEntity(sink: DeltaSink, e: EntityBase, state: EntityState, sign: 1 | -1): void {
  // every contribution goes to the buckets of the entity's start: computed once, not per sum
  const day = dayOf(state.s);
  const quarter = quarterOf(state.s);
  contributions(
    e.contentKind, state,
    (metric, dim, value) => sink.sumAt(e, day, quarter, metric, dim, sign * value),
    (metric, dim, key) => sink.sketchAt(e, day, quarter, metric, dim, key, sign),
  );
  if (e.contentKind === 'journey') endCounters(state as SessionState, (metric, at) => sink.counter(e, metric, at, sign));
}

/**
 * Deep equality of two states (plain objects, arrays, numbers, strings; object key order ignored;
 * a field that is `undefined` is the same as one that is absent, as in their JSON).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in x) if (!sameValue(x[k], y[k])) return false;
  for (const k in y) if (!(k in x) && y[k] !== undefined) return false;
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
  // nearly every entity of a claim is new: no key to build for those when nothing was stored
  const none = stored.size === 0;
  for (const u of updates) {
    const old = none ? undefined : stored.get(entityKey(u));
    if (!old) {
      addEntity(sink, u, u.state, 1);
      writes.push(u);
      continue;
    }
    const next = joinState(u.contentKind, old, u.state);
    if (sameValue(old, next)) continue;
    // the old state's contributions out, the new one's in: what both add to the same key cancels
    // in the sink, so only the contributions that differ are written
    addEntity(sink, u, old, -1);
    addEntity(sink, u, next, 1);
    writes.push({ ...u, state: next });
  }
  for (const d of extra) sink.add(d);
  for (const d of extraSketches) sink.addSketch(d);
  return { writes, ...sink.result() };
}

/** The deltas that remove entities entirely (user deletion). */
export function retractEntities(rows: readonly EntityRow[]): { sums: SumDelta[]; counters: CounterDelta[]; sketches: SketchDelta[] } {
  const sink = new DeltaSink();
  for (const r of rows) addEntity(sink, r, r.state, -1);
  return sink.result();
}
