/**
 * The read models' share of the processor's pure step: per claimed SDK event, the entity it
 * updates (its journey session, its tour attempt) folded into one partial state per entity, and
 * the event-level sums (tour and content lifecycle counts, targeting failures, field interaction)
 * bucketed per UTC day and quarter hour. `aggregate()` calls it on the events it has parsed.
 *
 * Event-level sums count an event at its own time (like the counters, but also per quarter hour,
 * so that any time zone's local days and hours are exact); entity sums are computed from states
 * when the store applies them (`readmodel.ts`).
 */
import type { WaymarkEvent } from '@waymark/core/schema';
import type { StoredEvent } from '../store/types';
import { DeltaSink, attemptState, cmpMark, firstEnd, laterStatus, sessionState, type AttemptState, type AttemptStatus, type EntityUpdate, type SessionState, type SketchDelta, type SumDelta } from './readmodel';
import { sketchKey } from './sketch';

/** Separator inside a dimension made of two keys (a character no valid key contains). */
export const DIM_SEP = '\u001f';

/** Event-level sums metric per event type, for the tour and content kinds. */
const EVENT_METRICS: Record<string, string> = {
  TourStarted: 'starts',
  TourCompleted: 'completions',
  TourDismissed: 'dismissals',
  TourRestarted: 'restarts',
  StepViewed: 'step_views',
  ContentViewed: 'views',
  ContentDismissed: 'dismissals',
  ContentCtaClicked: 'cta_clicks',
};
export const FIELD_METRICS = { focus: 'f_focus', engaged: 'f_engaged', error: 'f_error' } as const;

const TOUR_STATUS: Record<string, AttemptStatus> = {
  TourStarted: 'in_progress',
  TourRestarted: 'in_progress',
  TourCompleted: 'completed',
  TourDismissed: 'dismissed',
};

type Loose = Record<string, unknown> & { _tag: string };
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Adds one event's facts to a session state in place (the same join as `joinSession`, without copies). */
function addToSession(s: SessionState, e: StoredEvent, ev: Loose, t: TypeInfo | undefined): void {
  if (e.ts < s.s) s.s = e.ts;
  if (!t) return;
  if (t.session === 'step') {
    const k = str(ev.stepKey);
    if (!k) return;
    const first = s.st[k];
    if (first === undefined || e.ts < first) s.st[k] = e.ts;
    if (!s.l || e.ts > s.l[0] || (e.ts === s.l[0] && k > s.l[1])) s.l = [e.ts, k];
  } else if (t.session === 'end') {
    const end: [number, number, number] = [e.ts, ev.completed === true ? 1 : 0, Math.max(0, Math.round(Number(ev.durationMs) || 0))];
    s.e = s.e ? firstEnd(s.e, end) : end;
  } else if (t.session === 'start') {
    const c = (ev.context ?? {}) as { deviceClass?: unknown; language?: unknown };
    const x: [number, string, string] = [e.ts, str(c.deviceClass) ?? 'unknown', str(c.language) ?? 'unknown'];
    if (!s.x || cmpMark(x, s.x) < 0) s.x = x;
  }
}

/** Adds one event's facts to a tour attempt state in place (the same join as `joinAttempt`). */
function addToAttempt(t: AttemptState, e: StoredEvent, ev: Loose, info: TypeInfo): void {
  if (e.ts < t.s) t.s = e.ts;
  if (e.type === 'TourStarted' || e.type === 'TourRestarted') t.a = 1;
  if (e.type === 'StepViewed' && typeof ev.stepIndex === 'number') {
    const i = String(ev.stepIndex);
    const id = String(ev.stepId ?? '');
    if (t.v[i] === undefined || id < t.v[i]!) t.v[i] = id;
  }
  if (info.status) t.t = laterStatus(t.t, [e.ts, info.status]);
}

const TOUR_EVENTS = new Set(['TourStarted', 'StepViewed', 'StepCompleted', 'TourCompleted', 'TourDismissed', 'TourRestarted']);

/** What the read models do with one event type, found with one lookup per event. */
interface TypeInfo {
  /** event-level sum of the tour and content kinds */
  metric?: string;
  /** a tour attempt's event */
  tour: boolean;
  status?: AttemptStatus;
  session?: 'step' | 'end' | 'start';
  field?: 'focus' | 'blur' | 'error';
  target: boolean;
}
const TYPES = new Map<string, TypeInfo>();
const info = (type: string): TypeInfo => {
  let t = TYPES.get(type);
  if (!t) TYPES.set(type, (t = { tour: TOUR_EVENTS.has(type), target: false }));
  return t;
};
for (const type of TOUR_EVENTS) info(type);
for (const [type, metric] of Object.entries(EVENT_METRICS)) info(type).metric = metric;
for (const [type, status] of Object.entries(TOUR_STATUS)) info(type).status = status;
info('target_not_found').target = true;
info('step_view').session = 'step';
info('session_end').session = 'end';
info('session_start').session = 'start';
info('field_focus').field = 'focus';
info('field_blur').field = 'blur';
info('validation_error').field = 'error';

export interface ReadModelInput {
  add(e: StoredEvent, event: WaymarkEvent): void;
  result(): { entities: EntityUpdate[]; sums: SumDelta[]; sketches: SketchDelta[] };
}

export function readModelInput(): ReadModelInput {
  const entities = new Map<string, EntityUpdate>();
  const sink = new DeltaSink();
  // the events of a batch are one session's: most events update the entity the previous one did
  let last: EntityUpdate | undefined;
  const entity = (e: StoredEvent, kind: 'journey' | 'tour', ev: Loose, t: TypeInfo | undefined) => {
    let u = last;
    if (!u || u.entityId !== e.sessionId || u.contentId !== e.contentId || u.contentKind !== kind || u.env !== e.env || u.orgKey !== e.orgKey) {
      const k = `${e.orgKey}\u0000${e.env}\u0000${kind}\u0000${e.contentId}\u0000${e.sessionId}`;
      u = entities.get(k);
      if (!u) {
        const state: SessionState | AttemptState = kind === 'journey' ? sessionState(e.ts, {}) : attemptState(e.ts, 0, {});
        entities.set(k, (u = { orgKey: e.orgKey, env: e.env, contentKind: kind, contentId: e.contentId, entityId: e.sessionId, clientId: e.clientId, state }));
      }
      last = u;
    }
    if (kind === 'journey') addToSession(u.state as SessionState, e, ev, t);
    else addToAttempt(u.state as AttemptState, e, ev, t!);
  };
  return {
    add(e, event) {
      if (e.source !== 'sdk') return;
      const ev = event as unknown as Loose;
      // the event itself names its content (org, env, kind, id): no object per event
      const base = e;
      // custom event types are not in the table: they only join their journey session
      const t = TYPES.get(e.type);
      if (t) {
        if (t.metric && (e.contentKind === 'tour' || e.contentKind === 'content')) sink.sum(base, e.ts, t.metric, '', 1);
        if (t.target) sink.sum(base, e.ts, 'target_failures', String(ev.selector ?? ''), 1);
        if (t.tour && e.contentKind === 'tour' && e.sessionId) entity(e, 'tour', ev, t);
      }
      if (e.contentKind !== 'journey' || !e.sessionId) return;
      entity(e, 'journey', ev, t);
      if (!t?.field) return;
      const field = str(ev.fieldKey);
      if (!field) return;
      if (t.field === 'focus') sink.sum(base, e.ts, FIELD_METRICS.focus, field, 1);
      else if (t.field === 'blur') sink.sketch(base, e.ts, FIELD_METRICS.engaged, field, sketchKey(Number(ev.durationMs) || 0), 1);
      else sink.sum(base, e.ts, FIELD_METRICS.error, `${field}${DIM_SEP}${String(ev.errorType ?? '')}`, 1);
    },
    result() {
      const r = sink.result();
      return { entities: [...entities.values()], sums: r.sums, sketches: r.sketches };
    },
  };
}
