/**
 * Journey analytics: completion rate, time to complete
 * (median, p90), step-level drop-off and field interaction. Sessions, medians and last steps are
 * per-session facts that counters cannot hold, so this reads the journey's raw events once,
 * bounded by the `(org, kind, content_id, ts)` index.
 */
import type { DateRange } from './range';
import { percent, quantiles } from './rates';
import type { AnalyticsReader, Scope } from './reader';

const TYPES = ['session_start', 'session_end', 'step_view', 'field_focus', 'field_blur', 'validation_error'];

export interface JourneyStep {
  step_key: string;
  /** distinct sessions that viewed the step */
  sessions: number;
  pct_of_sessions: number;
  /** sessions that did not complete and whose last viewed step was this one */
  dropoffs: number;
  /** dropoffs / sessions of this step * 100 */
  dropoff_rate: number;
}

export interface JourneyField {
  field_key: string;
  focus_count: number;
  /** median of `field_blur.durationMs`; null without blurs */
  median_engaged_ms: number | null;
  validation_errors: number;
  errors_by_type: { error_type: string; count: number }[];
}

export interface JourneyAnalytics {
  journey_key: string;
  period: { from: string; to: string };
  /** distinct sessions with a `session_start` in the period */
  sessions: number;
  /** distinct sessions with a `session_end` whose `completed` is true */
  completed_sessions: number;
  completion_rate: number;
  time_to_complete_ms: { median: number | null; p90: number | null };
  steps: JourneyStep[];
  fields: JourneyField[];
}

interface SessionState {
  started: boolean;
  completed: boolean;
  lastStep?: string;
}

interface FieldState {
  focus: number;
  engaged: number[];
  errors: Map<string, number>;
}

export async function journeyAnalytics(reader: AnalyticsReader, scope: Scope, journeyKey: string, range: DateRange): Promise<JourneyAnalytics> {
  const sessions = new Map<string, SessionState>();
  const steps = new Map<string, { sessions: Set<string>; first: number }>();
  const fields = new Map<string, FieldState>();
  const durations: number[] = [];
  const field = (k: string) => {
    let f = fields.get(k);
    if (!f) fields.set(k, (f = { focus: 0, engaged: [], errors: new Map() }));
    return f;
  };

  await reader.eachEvent({ ...scope, contentKind: 'journey', contentId: journeyKey, types: TYPES, start: range.start, end: range.end }, (e) => {
    let s = sessions.get(e.sessionId);
    if (!s) sessions.set(e.sessionId, (s = { started: false, completed: false }));
    const d = JSON.parse(e.json) as Record<string, unknown>;
    switch (e.type) {
      case 'session_start': s.started = true; break;
      case 'session_end':
        if (d.completed === true && !s.completed) {
          s.completed = true;
          durations.push(Number(d.durationMs));
        }
        break;
      case 'step_view': {
        const k = String(d.stepKey);
        s.lastStep = k;
        const st = steps.get(k) ?? { sessions: new Set<string>(), first: e.ts };
        st.sessions.add(e.sessionId);
        steps.set(k, st);
        break;
      }
      case 'field_focus': field(String(d.fieldKey)).focus++; break;
      case 'field_blur': field(String(d.fieldKey)).engaged.push(Number(d.durationMs)); break;
      case 'validation_error': {
        const f = field(String(d.fieldKey));
        const t = String(d.errorType);
        f.errors.set(t, (f.errors.get(t) ?? 0) + 1);
        break;
      }
    }
  });

  let started = 0;
  let completed = 0;
  const drops = new Map<string, number>();
  for (const s of sessions.values()) {
    if (s.started) started++;
    if (s.completed) completed++;
    else if (s.lastStep !== undefined) drops.set(s.lastStep, (drops.get(s.lastStep) ?? 0) + 1);
  }
  const stepRows = [...steps]
    .map(([k, st]) => ({ k, n: st.sessions.size, first: st.first }))
    .sort((a, b) => b.n - a.n || a.first - b.first || a.k.localeCompare(b.k))
    .map(({ k, n }): JourneyStep => ({
      step_key: k, sessions: n, pct_of_sessions: percent(n, started), dropoffs: drops.get(k) ?? 0, dropoff_rate: percent(drops.get(k) ?? 0, n),
    }));
  const fieldRows = [...fields]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, f]): JourneyField => {
      const errors = [...f.errors].map(([error_type, count]) => ({ error_type, count })).sort((a, b) => b.count - a.count || a.error_type.localeCompare(b.error_type));
      return {
        field_key: k, focus_count: f.focus, median_engaged_ms: quantiles(f.engaged).median,
        validation_errors: errors.reduce((n, e) => n + e.count, 0), errors_by_type: errors,
      };
    });
  return {
    journey_key: journeyKey,
    period: { from: range.from, to: range.to },
    sessions: started,
    completed_sessions: completed,
    completion_rate: percent(completed, started),
    time_to_complete_ms: quantiles(durations),
    steps: stepRows,
    fields: fieldRows,
  };
}
