/**
 * Journey analytics: sessions, completion rate and time to complete with a daily trend, step
 * reach and drop-off in journey order, field friction, device classes and languages, all from the
 * journey-session read model (a session counts on the day it started, with everything it did)
 * and the field sums (each field event at its own time). Medians and p90s are DDSketch estimates
 * (`rollups/sketch.ts`, within 1 %); the answer lists them in `estimates`.
 */
import { SESSION_METRICS as M } from '../rollups/readmodel';
import { DIM_SEP, FIELD_METRICS as F } from '../rollups/readmodel-input';
import { addCounts, sketchQuantiles } from '../rollups/sketch';
import type { DateRange } from './range';
import { percent } from './rates';
import type { AnalyticsReader, Scope } from './reader';
import { countsOf, dimsOf, mergeInto, readSketchWindows, readWindows, sketchDimsOf, valueOf, type SketchSums, type Sums } from './windows';

export interface JourneyStep {
  step_key: string;
  /** sessions (started in the period) that viewed the step */
  sessions: number;
  pct_of_sessions: number;
  /** sessions that did not complete and whose latest step view was this step */
  dropoffs: number;
  /** dropoffs / sessions of this step * 100 */
  dropoff_rate: number;
  /** true on the step with the most drop-offs (the first in journey order on a tie); false everywhere without drop-offs */
  largest_dropoff: boolean;
}

export interface JourneyField {
  field_key: string;
  focus_count: number;
  /** median / p90 of `field_blur.durationMs` (estimates); null without blurs */
  median_engaged_ms: number | null;
  p90_engaged_ms: number | null;
  validation_errors: number;
  errors_by_type: { error_type: string; count: number }[];
}

type Quantiles = { median: number | null; p90: number | null };

export interface JourneyAnalytics {
  journey_key: string;
  period: { from: string; to: string };
  /** sessions that started in the period */
  sessions: number;
  /** of those, the sessions whose (first) `session_end` says completed */
  completed_sessions: number;
  completion_rate: number;
  /** median and p90 of the completed sessions' `durationMs` (estimates); null without completions */
  time_to_complete_ms: Quantiles;
  step_order: 'configured' | 'first_seen';
  steps: JourneyStep[];
  fields: JourneyField[];
  devices: { device_class: string; sessions: number }[];
  languages: { language: string; sessions: number }[];
  daily: { date: string; sessions: number; completed_sessions: number; completion_rate: number | null; time_to_complete_ms: Quantiles }[];
  /** JSON paths of the values that are sketch estimates (all others are exact) */
  estimates: string[];
}

export const JOURNEY_ESTIMATES = ['time_to_complete_ms', 'daily[].time_to_complete_ms', 'fields[].median_engaged_ms', 'fields[].p90_engaged_ms'];

const DAILY = [M.sessions, M.completed];
const TOTAL = [M.step, M.stepPos, M.dropoff, M.device, M.language, F.focus, F.error];

/** `[key, count]` rows with a positive count, most first, then by key. */
const ranked = (m: Map<string, number>) => [...m].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));

/** Steps in journey order: the configured order first (every configured step), then the others by mean position of first view. */
function orderSteps(total: Sums, key: string, configured: readonly string[] | undefined): string[] {
  const reach = dimsOf(total, key, M.step);
  const seen = [...reach].filter(([, n]) => n > 0).map(([k]) => k);
  const mean = (k: string) => valueOf(total, key, M.stepPos, k) / (reach.get(k) || 1);
  const rest = seen.filter((k) => !configured?.includes(k)).sort((a, b) => mean(a) - mean(b) || (a < b ? -1 : 1));
  return [...(configured ?? []), ...rest];
}

function fieldRows(total: Sums, engaged: SketchSums, key: string): JourneyField[] {
  const fields = new Map<string, Map<string, number>>();
  const field = (k: string) => {
    let f = fields.get(k);
    if (!f) fields.set(k, (f = new Map()));
    return f;
  };
  for (const [k, n] of dimsOf(total, key, F.focus)) if (n > 0) field(k);
  for (const [k, c] of sketchDimsOf(engaged, key, F.engaged)) if ([...c.values()].some((n) => n > 0)) field(k);
  for (const [dim, n] of dimsOf(total, key, F.error)) {
    const cut = dim.indexOf(DIM_SEP);
    if (n > 0) field(dim.slice(0, cut)).set(dim.slice(cut + 1), n);
  }
  return [...fields.keys()].sort().map((k): JourneyField => {
    const q = sketchQuantiles(countsOf(engaged, key, F.engaged, k));
    const errors = ranked(fields.get(k)!).map(([error_type, count]) => ({ error_type, count }));
    return {
      field_key: k, focus_count: valueOf(total, key, F.focus, k), median_engaged_ms: q.median, p90_engaged_ms: q.p90,
      validation_errors: errors.reduce((n, e) => n + e.count, 0), errors_by_type: errors,
    };
  });
}

export async function journeyAnalytics(
  reader: AnalyticsReader, scope: Scope, journeyKey: string, range: DateRange, configuredSteps?: readonly string[],
): Promise<JourneyAnalytics> {
  const base = { contentKind: 'journey' as const, contentIds: [journeyKey] };
  const [days, [total], ttcDays, [engaged]] = await Promise.all([
    readWindows(reader, scope, { ...base, metrics: DAILY, spans: range.days }),
    readWindows(reader, scope, { ...base, metrics: TOTAL, spans: [range], grouped: true }),
    readSketchWindows(reader, scope, { ...base, metrics: [M.ttc], spans: range.days }),
    readSketchWindows(reader, scope, { ...base, metrics: [F.engaged], spans: [range] }),
  ]);
  const ttc = ttcDays.reduce((acc, d) => addCounts(acc, countsOf(d, journeyKey, M.ttc)), new Map<number, number>());
  const all = days.reduce<Sums>((acc, d) => mergeInto(acc, d), new Map());
  mergeInto(all, total!);
  const sessions = valueOf(all, journeyKey, M.sessions);
  const completed = valueOf(all, journeyKey, M.completed);
  const configured = configuredSteps && configuredSteps.length ? configuredSteps : undefined;
  const order = orderSteps(all, journeyKey, configured);
  const steps = order.map((k): JourneyStep => {
    const n = valueOf(all, journeyKey, M.step, k);
    const drops = valueOf(all, journeyKey, M.dropoff, k);
    return { step_key: k, sessions: n, pct_of_sessions: percent(n, sessions), dropoffs: drops, dropoff_rate: percent(drops, n), largest_dropoff: false };
  });
  const worst = steps.reduce<JourneyStep | undefined>((w, s) => (s.dropoffs > (w?.dropoffs ?? 0) ? s : w), undefined);
  if (worst) worst.largest_dropoff = true;
  return {
    journey_key: journeyKey,
    period: { from: range.from, to: range.to },
    sessions,
    completed_sessions: completed,
    completion_rate: percent(completed, sessions),
    time_to_complete_ms: sketchQuantiles(ttc),
    step_order: configured ? 'configured' : 'first_seen',
    steps,
    fields: fieldRows(all, engaged!, journeyKey),
    devices: ranked(dimsOf(all, journeyKey, M.device)).map(([device_class, n]) => ({ device_class, sessions: n })),
    languages: ranked(dimsOf(all, journeyKey, M.language)).map(([language, n]) => ({ language, sessions: n })),
    daily: days.map((d, i) => {
      const n = valueOf(d, journeyKey, M.sessions);
      const c = valueOf(d, journeyKey, M.completed);
      return { date: range.days[i]!.date, sessions: n, completed_sessions: c, completion_rate: n ? percent(c, n) : null, time_to_complete_ms: sketchQuantiles(countsOf(ttcDays[i]!, journeyKey, M.ttc)) };
    }),
    estimates: JOURNEY_ESTIMATES,
  };
}
