/**
 * The overview: active tours and content items, the combined completion rate with its trend
 * against the previous period of equal length, the best tour (with a minimum of starts) and the
 * tour that loses the most users. Event counts from the read-model sums of every tour and content
 * item (one read per kind for both periods), and one funnel read for the weakest tour.
 */
import type { ContentKind } from '../store/types';
import { buildFunnel } from './funnel';
import { previousRange, type DateRange } from './range';
import { completionRate, round1, trend } from './rates';
import type { AnalyticsReader, Scope } from './reader';
import { stepReach } from './tours';
import { readWindows, valueOf } from './windows';

const TOUR_METRICS = ['starts', 'step_views', 'completions', 'dismissals', 'restarts'];
const CONTENT_METRICS = ['views', 'dismissals', 'cta_clicks'];

/** One tour's summary in the overview. */
export interface TourSummary {
  tour_id: string;
  starts: number;
  completions: number;
  dismissals: number;
  completion_rate: number;
  /** 100 − completion rate: share of starts that did not end in a completion */
  dropoff_rate: number;
}

export interface Overview {
  period: { from: string; to: string };
  previous_period: { from: string; to: string };
  active_tours: number;
  active_content_items: number;
  starts: number;
  completions: number;
  completion_rate: number;
  previous_completion_rate: number;
  /** percentage points against the previous period; null when it had no starts */
  completion_rate_trend: number | null;
  min_starts: number;
  top_tour: TourSummary | null;
  highest_dropoff_tour: (TourSummary & { largest_drop_step: number | null }) | null;
  tours: TourSummary[];
}

type Sums = Map<string, Record<string, number>>;

/** Per content of `kind`: the metrics summed over each of the two ranges. */
async function kindSums(reader: AnalyticsReader, scope: Scope, kind: ContentKind, metrics: string[], ranges: DateRange[]): Promise<Sums[]> {
  const ids = (await reader.contents({ ...scope, contentKinds: [kind] })).map((c) => c.contentId);
  const windows = await readWindows(reader, scope, { contentKind: kind, contentIds: ids, metrics, spans: ranges });
  return windows.map((w) => {
    const out: Sums = new Map();
    for (const id of ids) {
      const m = Object.fromEntries(metrics.map((k) => [k, valueOf(w, id, k)]));
      if (metrics.some((k) => m[k] !== 0)) out.set(id, m);
    }
    return out;
  });
}

async function sums(reader: AnalyticsReader, scope: Scope, range: DateRange, prev: DateRange) {
  const [tours, contents] = await Promise.all([
    kindSums(reader, scope, 'tour', TOUR_METRICS, [range, prev]),
    kindSums(reader, scope, 'content', CONTENT_METRICS, [range, prev]),
  ]);
  return [{ tours: tours[0]!, contents: contents[0]! }, { tours: tours[1]!, contents: contents[1]! }];
}

const active = (s: Sums, metrics: string[]) => [...s.values()].filter((m) => metrics.some((k) => (m[k] ?? 0) > 0)).length;

function combined(tours: Sums): { starts: number; completions: number } {
  let starts = 0;
  let completions = 0;
  for (const m of tours.values()) (starts += m.starts ?? 0), (completions += m.completions ?? 0);
  return { starts, completions };
}

export async function overview(reader: AnalyticsReader, scope: Scope, range: DateRange, minStarts: number): Promise<Overview> {
  const prev = previousRange(range);
  const [now, before] = await sums(reader, scope, range, prev);
  const cur = combined(now.tours);
  const old = combined(before.tours);
  const rate = completionRate(cur.completions, cur.starts);
  const prevRate = completionRate(old.completions, old.starts);
  const tours = [...now.tours].map(([id, m]): TourSummary => {
    const r = completionRate(m.completions ?? 0, m.starts ?? 0);
    return { tour_id: id, starts: m.starts ?? 0, completions: m.completions ?? 0, dismissals: m.dismissals ?? 0, completion_rate: r, dropoff_rate: m.starts ? round1(100 - r) : 0 };
  });
  tours.sort((a, b) => b.starts - a.starts || a.tour_id.localeCompare(b.tour_id));
  const eligible = tours.filter((t) => t.starts >= minStarts);
  const pick = (key: 'completion_rate' | 'dropoff_rate') =>
    eligible.reduce<TourSummary | null>((best, t) => (!best || t[key] > best[key] ? t : best), null);
  const top = pick('completion_rate');
  const worst = pick('dropoff_rate');
  let highest: Overview['highest_dropoff_tour'] = null;
  if (worst) {
    const reach = await stepReach(reader, scope, worst.tour_id, range);
    highest = { ...worst, largest_drop_step: buildFunnel(reach.started, reach.steps).largest_drop_step };
  }
  return {
    period: { from: range.from, to: range.to },
    previous_period: { from: prev.from, to: prev.to },
    active_tours: active(now.tours, TOUR_METRICS),
    active_content_items: active(now.contents, CONTENT_METRICS),
    starts: cur.starts,
    completions: cur.completions,
    completion_rate: rate,
    previous_completion_rate: prevRate,
    completion_rate_trend: trend(rate, prevRate, old.starts),
    min_starts: minStarts,
    top_tour: top,
    highest_dropoff_tour: highest,
    tours,
  };
}
