/**
 * A content item's analytics: views, dismissals, CTA clicks and the click-through rate
 * (clicks / views) for the range, their change against the previous period, one row per day,
 * and the clicks per CTA. Counters only.
 */
import { foldDays, twoPeriods } from './periods';
import type { DateRange } from './range';
import { changePct, changePts, rateOrNull } from './rates';
import type { AnalyticsReader, Scope } from './reader';

const METRICS = ['views', 'dismissals', 'cta_clicks'] as const;

export interface ContentTotals {
  views: number;
  dismissals: number;
  cta_clicks: number;
  /** cta_clicks / views * 100; null without views */
  click_through_rate: number | null;
  /** dismissals / views * 100; null without views */
  dismissal_rate: number | null;
}

export interface ContentAnalytics {
  content_id: string;
  period: { from: string; to: string };
  previous_period: { from: string; to: string };
  totals: ContentTotals;
  previous: ContentTotals;
  change: { views_pct: number | null; click_through_rate_pts: number | null };
  daily: ({ date: string } & ContentTotals)[];
  ctas: { cta: string; clicks: number }[];
}

const totals = (views: number, dismissals: number, clicks: number): ContentTotals => ({
  views, dismissals, cta_clicks: clicks, click_through_rate: rateOrNull(clicks, views), dismissal_rate: rateOrNull(dismissals, views),
});

export async function contentAnalytics(reader: AnalyticsReader, scope: Scope, contentId: string, range: DateRange): Promise<ContentAnalytics> {
  const tp = twoPeriods(range);
  const q = { ...scope, contentKind: 'content' as const, contentIds: [contentId], granularity: tp.granularity };
  const [rows, ctaRows] = await Promise.all([
    reader.series({ ...q, metrics: [...METRICS], fromPeriod: tp.fromPeriod, toPeriod: tp.toPeriod }),
    reader.dimSeries({ ...q, metrics: ['cta_clicks'], fromPeriod: tp.fromPeriod, toPeriod: tp.toPeriod }),
  ]);
  const m = foldDays(tp, range.days.length, METRICS, rows);
  const [v, d, c] = METRICS.map((k) => m[k]!);
  const clicks = new Map<string, number>();
  for (const r of ctaRows) if (tp.place(r.period) >= 0) clicks.set(r.dim, (clicks.get(r.dim) ?? 0) + Number(r.value));
  const now = totals(v!.total, d!.total, c!.total);
  const before = totals(v!.previous, d!.previous, c!.previous);
  return {
    content_id: contentId,
    period: { from: range.from, to: range.to },
    previous_period: { from: tp.previous.from, to: tp.previous.to },
    totals: now,
    previous: before,
    change: { views_pct: changePct(now.views, before.views), click_through_rate_pts: changePts(now.click_through_rate, before.click_through_rate) },
    daily: range.days.map((day, i) => ({ date: day.date, ...totals(v!.daily[i]!, d!.daily[i]!, c!.daily[i]!) })),
    ctas: [...clicks].map(([cta, n]) => ({ cta, clicks: n })).sort((a, b) => b.clicks - a.clicks || a.cta.localeCompare(b.cta)),
  };
}
