/**
 * Tour analytics: the daily and hourly answers (exact shapes), the step funnel and the tour
 * detail view. Lifecycle counts are event counts at their own time; the funnel and users by
 * status count tour attempts (one user's run of the tour in one session) on the day they started,
 * from the attempt read model.
 */
import { ATTEMPT_METRICS } from '../rollups/readmodel';
import { dailyCounts, hourlyCounts, sumCounts } from './counts';
import { buildFunnel, type FunnelStep, type StepReach } from './funnel';
import type { DateRange } from './range';
import { completionRate } from './rates';
import type { ActivityRow, AnalyticsReader, Scope } from './reader';
import { dimsOf, readWindows, valueOf } from './windows';

const METRICS = ['starts', 'completions', 'dismissals'] as const;

/** `data` of `GET /analytics/tours/:tourId?date_from&date_to` (the daily shape). */
export interface TourDaily {
  tour_id: string;
  period: { from: string; to: string };
  totals: { starts: number; completions: number; dismissals: number; completion_rate: number };
  daily: { date: string; starts: number; completions: number; dismissals: number; completion_rate: number }[];
}

/** `data` of `GET /analytics/tours/:tourId?date&granularity=hourly` (the hourly shape). */
export interface TourHourly {
  tour_id: string;
  date: string;
  granularity: 'hourly';
  hours: { hour: string; starts: number; completions: number; dismissals: number }[];
}

const row = (c: Record<string, number>) => ({
  starts: c.starts ?? 0,
  completions: c.completions ?? 0,
  dismissals: c.dismissals ?? 0,
  completion_rate: completionRate(c.completions ?? 0, c.starts ?? 0),
});

export async function tourDaily(reader: AnalyticsReader, scope: Scope, tourId: string, range: DateRange): Promise<TourDaily> {
  const days = await dailyCounts({ reader, scope, contentKind: 'tour', contentId: tourId, metrics: METRICS }, range);
  return {
    tour_id: tourId,
    period: { from: range.from, to: range.to },
    totals: row(sumCounts(days, METRICS)),
    daily: days.map((c, i) => ({ date: range.days[i]!.date, ...row(c) })),
  };
}

export async function tourHourly(reader: AnalyticsReader, scope: Scope, tourId: string, day: DateRange): Promise<TourHourly> {
  const hours = await hourlyCounts({ reader, scope, contentKind: 'tour', contentId: tourId, metrics: METRICS }, day);
  return {
    tour_id: tourId,
    date: day.from,
    granularity: 'hourly',
    hours: hours.map(({ hour, counts }) => ({
      hour, starts: counts.starts ?? 0, completions: counts.completions ?? 0, dismissals: counts.dismissals ?? 0,
    })),
  };
}

/** `data` of the funnel endpoint. */
export interface TourFunnel {
  tour_id: string;
  period: { from: string; to: string };
  /** tour attempts (a user's run of the tour in one session) that started in the period (100 %) */
  started_users: number;
  steps: FunnelStep[];
  /** step_index of the step with the largest drop, null when no step loses users */
  largest_drop_step: number | null;
}

/** Attempts that started in the range, and per step index the attempts that viewed it. */
export async function stepReach(reader: AnalyticsReader, scope: Scope, tourId: string, range: DateRange): Promise<{ started: number; steps: StepReach[] }> {
  const [sums] = await readWindows(reader, scope, {
    contentKind: 'tour', contentIds: [tourId], metrics: [ATTEMPT_METRICS.started, ATTEMPT_METRICS.step], spans: [range], grouped: true,
  });
  const byIndex = new Map<number, StepReach>();
  for (const [dim, n] of dimsOf(sums!, tourId, ATTEMPT_METRICS.step)) {
    if (n <= 0) continue;
    const cut = dim.indexOf('#');
    const index = Number(dim.slice(0, cut));
    const id = dim.slice(cut + 1);
    const s = byIndex.get(index);
    if (s) (s.users += n), (s.step_id = id < s.step_id ? id : s.step_id);
    else byIndex.set(index, { step_index: index, step_id: id, users: n });
  }
  return { started: valueOf(sums!, tourId, ATTEMPT_METRICS.started), steps: [...byIndex.values()] };
}

export async function tourFunnel(reader: AnalyticsReader, scope: Scope, tourId: string, range: DateRange): Promise<TourFunnel> {
  const reach = await stepReach(reader, scope, tourId, range);
  const f = buildFunnel(reach.started, reach.steps);
  return { tour_id: tourId, period: { from: range.from, to: range.to }, started_users: reach.started, ...f };
}

/** `data` of the tour detail endpoint. */
export interface TourDetail {
  tour_id: string;
  period: { from: string; to: string };
  totals: TourDaily['totals'];
  /** attempts that started in the period, each counted once by its latest lifecycle event */
  users: { completed: number; in_progress: number; dismissed: number; total: number };
  recent_activity: ActivityRow[];
}

export async function tourDetail(reader: AnalyticsReader, scope: Scope, tourId: string, range: DateRange, recent = 20): Promise<TourDetail> {
  const [daily, activity, [sums]] = await Promise.all([
    tourDaily(reader, scope, tourId, range),
    reader.activity({ ...scope, by: 'content', contentKind: 'tour', contentId: tourId, limit: recent }),
    readWindows(reader, scope, { contentKind: 'tour', contentIds: [tourId], metrics: [ATTEMPT_METRICS.status], spans: [range], grouped: true }),
  ]);
  const status = (s: string) => valueOf(sums!, tourId, ATTEMPT_METRICS.status, s);
  const users = { completed: status('completed'), in_progress: status('in_progress'), dismissed: status('dismissed'), total: 0 };
  users.total = users.completed + users.in_progress + users.dismissed;
  return { tour_id: tourId, period: daily.period, totals: daily.totals, users, recent_activity: activity.rows };
}
