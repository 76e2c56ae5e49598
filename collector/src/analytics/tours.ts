/**
 * Tour analytics: the daily and hourly answers (exact documented shapes), the step funnel and
 * the tour detail view. Counts come from the rollups; only distinct users read raw events.
 */
import { dailyCounts, hourlyCounts, sumCounts } from './counts';
import { buildFunnel, type FunnelStep } from './funnel';
import type { DateRange } from './range';
import { completionRate } from './rates';
import type { ActivityRow, AnalyticsReader, Scope } from './reader';

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
  /** distinct users who started the tour in the period (100 %) */
  started_users: number;
  steps: FunnelStep[];
  /** step_index of the step with the largest drop, null when no step loses users */
  largest_drop_step: number | null;
}

export async function tourFunnel(reader: AnalyticsReader, scope: Scope, tourId: string, range: DateRange): Promise<TourFunnel> {
  const reach = await reader.stepReach({ ...scope, tourId, start: range.start, end: range.end });
  const f = buildFunnel(reach.started, reach.steps);
  return { tour_id: tourId, period: { from: range.from, to: range.to }, started_users: reach.started, ...f };
}

/** `data` of the tour detail endpoint. */
export interface TourDetail {
  tour_id: string;
  period: { from: string; to: string };
  totals: TourDaily['totals'];
  /** each user counted once, by their last lifecycle event of the tour in the period */
  users: { completed: number; in_progress: number; dismissed: number; total: number };
  recent_activity: ActivityRow[];
}

const STATUS: Record<string, 'completed' | 'in_progress' | 'dismissed'> = {
  TourStarted: 'in_progress',
  TourRestarted: 'in_progress',
  TourCompleted: 'completed',
  TourDismissed: 'dismissed',
};

export async function tourDetail(reader: AnalyticsReader, scope: Scope, tourId: string, range: DateRange, recent = 20): Promise<TourDetail> {
  const [daily, activity] = await Promise.all([
    tourDaily(reader, scope, tourId, range),
    reader.activity({ ...scope, by: 'content', contentKind: 'tour', contentId: tourId, limit: recent }),
  ]);
  const last = new Map<string, string>();
  await reader.eachEvent(
    { ...scope, contentKind: 'tour', contentId: tourId, types: Object.keys(STATUS), start: range.start, end: range.end },
    (e) => void last.set(e.clientId, STATUS[e.type]!),
  );
  const users = { completed: 0, in_progress: 0, dismissed: 0, total: last.size };
  for (const s of last.values()) users[s as 'completed']++;
  return { tour_id: tourId, period: daily.period, totals: daily.totals, users, recent_activity: activity.rows };
}
