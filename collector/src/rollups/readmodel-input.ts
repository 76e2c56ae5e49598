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
import { DeltaSink, entityKey, joinState, type AttemptState, type AttemptStatus, type EntityUpdate, type SessionState, type SumDelta } from './readmodel';
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

/** One partial state of an event (its own facts only). */
function sessionFacts(e: StoredEvent, ev: Loose): SessionState {
  const s: SessionState = { s: e.ts, st: {} };
  if (e.type === 'step_view') {
    const k = str(ev.stepKey);
    if (k) {
      s.st[k] = e.ts;
      s.l = [e.ts, k];
    }
  } else if (e.type === 'session_end') {
    s.e = [e.ts, ev.completed === true ? 1 : 0, Math.max(0, Math.round(Number(ev.durationMs) || 0))];
  } else if (e.type === 'session_start') {
    const c = (ev.context ?? {}) as { deviceClass?: unknown; language?: unknown };
    s.x = [e.ts, str(c.deviceClass) ?? 'unknown', str(c.language) ?? 'unknown'];
  }
  return s;
}

function attemptFacts(e: StoredEvent, ev: Loose): AttemptState {
  const t: AttemptState = { s: e.ts, a: e.type === 'TourStarted' || e.type === 'TourRestarted' ? 1 : 0, v: {} };
  if (e.type === 'StepViewed' && typeof ev.stepIndex === 'number') t.v[String(ev.stepIndex)] = String(ev.stepId ?? '');
  const status = TOUR_STATUS[e.type];
  if (status) t.t = [e.ts, status];
  return t;
}

const TOUR_EVENTS = new Set(['TourStarted', 'StepViewed', 'StepCompleted', 'TourCompleted', 'TourDismissed', 'TourRestarted']);

export interface ReadModelInput {
  add(e: StoredEvent, event: WaymarkEvent): void;
  result(): { entities: EntityUpdate[]; sums: SumDelta[] };
}

export function readModelInput(): ReadModelInput {
  const entities = new Map<string, EntityUpdate>();
  const sink = new DeltaSink();
  const entity = (e: StoredEvent, kind: 'journey' | 'tour', state: SessionState | AttemptState) => {
    const u: EntityUpdate = { orgKey: e.orgKey, env: e.env, contentKind: kind, contentId: e.contentId, entityId: e.sessionId, clientId: e.clientId, state };
    const k = entityKey(u);
    const prev = entities.get(k);
    if (prev) prev.state = joinState(kind, prev.state, state);
    else entities.set(k, u);
  };
  return {
    add(e, event) {
      if (e.source !== 'sdk') return;
      const ev = event as unknown as Loose;
      const base = { orgKey: e.orgKey, env: e.env, contentKind: e.contentKind, contentId: e.contentId };
      const metric = EVENT_METRICS[e.type];
      if (metric && (e.contentKind === 'tour' || e.contentKind === 'content')) sink.sum(base, e.ts, metric, '', 1);
      if (e.type === 'target_not_found') sink.sum(base, e.ts, 'target_failures', String(ev.selector ?? ''), 1);
      if (e.contentKind === 'tour' && TOUR_EVENTS.has(e.type) && e.sessionId) entity(e, 'tour', attemptFacts(e, ev));
      if (e.contentKind !== 'journey' || !e.sessionId) return;
      entity(e, 'journey', sessionFacts(e, ev));
      const field = str(ev.fieldKey);
      if (!field) return;
      if (e.type === 'field_focus') sink.sum(base, e.ts, FIELD_METRICS.focus, field, 1);
      else if (e.type === 'field_blur') sink.sum(base, e.ts, FIELD_METRICS.engaged, `${field}${DIM_SEP}${sketchKey(Number(ev.durationMs) || 0)}`, 1);
      else if (e.type === 'validation_error') sink.sum(base, e.ts, FIELD_METRICS.error, `${field}${DIM_SEP}${String(ev.errorType ?? '')}`, 1);
    },
    result() {
      return { entities: [...entities.values()], sums: sink.result().sums };
    },
  };
}
