/**
 * The expected API answers, computed straight from the simulation's facts with integer
 * arithmetic: no code is shared with the collector's analytics modules.
 */
import { CONTENTS, DAY, TOURS, type Fact } from './population';

/** `part/whole*100` to one decimal, half up, in exact integer arithmetic (tenths). */
const tenths = (part: number, whole: number) => (whole ? Math.floor((2 * part * 1000 + whole) / (2 * whole)) : 0);
export const pct = (part: number, whole: number) => tenths(part, whole) / 10;
const iso = (t: number) => new Date(t).toISOString();
const day = (t: number) => iso(t).slice(0, 10);

export interface Window {
  start: number;
  end: number;
}
export const windowOf = (from: string, to: string): Window => ({ start: Date.parse(`${from}T00:00:00Z`), end: Date.parse(`${to}T00:00:00Z`) + DAY });
const inW = (w: Window) => (f: Fact) => f.ts >= w.start && f.ts < w.end;

export function tourDaily(facts: Fact[], tourId: string, from: string, to: string) {
  const w = windowOf(from, to);
  const rows = new Map<string, { starts: number; completions: number; dismissals: number }>();
  for (let t = w.start; t < w.end; t += DAY) rows.set(day(t), { starts: 0, completions: 0, dismissals: 0 });
  for (const f of facts.filter(inW(w))) {
    if (f.tourId !== tourId) continue;
    const r = rows.get(day(f.ts))!;
    if (f.type === 'TourStarted') r.starts++;
    if (f.type === 'TourCompleted') r.completions++;
    if (f.type === 'TourDismissed') r.dismissals++;
  }
  const daily = [...rows].map(([date, r]) => ({ date, ...r, completion_rate: pct(r.completions, r.starts) }));
  const sum = (k: 'starts' | 'completions' | 'dismissals') => daily.reduce((n, d) => n + d[k], 0);
  const totals = { starts: sum('starts'), completions: sum('completions'), dismissals: sum('dismissals') };
  return { tour_id: tourId, period: { from, to }, totals: { ...totals, completion_rate: pct(totals.completions, totals.starts) }, daily };
}

export function tourHourly(facts: Fact[], tourId: string, date: string) {
  const hours = Array.from({ length: 24 }, (_, h) => ({ hour: String(h).padStart(2, '0'), starts: 0, completions: 0, dismissals: 0 }));
  for (const f of facts.filter(inW(windowOf(date, date)))) {
    if (f.tourId !== tourId) continue;
    const h = hours[new Date(f.ts).getUTCHours()]!;
    if (f.type === 'TourStarted') h.starts++;
    if (f.type === 'TourCompleted') h.completions++;
    if (f.type === 'TourDismissed') h.dismissals++;
  }
  return { tour_id: tourId, date, granularity: 'hourly', hours };
}

export function funnel(facts: Fact[], tourId: string, from: string, to: string) {
  const fs = facts.filter(inW(windowOf(from, to))).filter((f) => f.tourId === tourId);
  const started = new Set(fs.filter((f) => f.type === 'TourStarted').map((f) => f.user)).size;
  const steps = TOURS[tourId]!.steps.map((stepId, i) => ({
    step_index: i,
    step_id: stepId,
    users: new Set(fs.filter((f) => f.type === 'StepViewed' && f.stepIndex === i).map((f) => f.user)).size,
  })).filter((s) => s.users > 0);
  let prev = started ? 1000 : 0;
  let best = -1;
  let bestDrop = 0;
  const rows = steps.map((s, i) => {
    const p = tenths(s.users, started);
    const drop = prev - p;
    prev = p;
    if (drop > bestDrop) (bestDrop = drop), (best = i);
    return { ...s, pct_of_starts: p / 10, drop_from_previous: drop / 10, largest_drop: false };
  });
  if (best >= 0) rows[best]!.largest_drop = true;
  return { tour_id: tourId, period: { from, to }, started_users: started, steps: rows, largest_drop_step: best >= 0 ? rows[best]!.step_index : null };
}

const LIFECYCLE: Record<string, string> = { TourStarted: 'in_progress', TourRestarted: 'in_progress', TourCompleted: 'completed', TourDismissed: 'dismissed' };

export function usersByStatus(facts: Fact[], tourId: string, from: string, to: string) {
  const last = new Map<number, string>();
  for (const f of facts.filter(inW(windowOf(from, to))).sort((a, b) => a.ts - b.ts)) {
    if (f.tourId === tourId && LIFECYCLE[f.type]) last.set(f.user, LIFECYCLE[f.type]!);
  }
  const c = { completed: 0, in_progress: 0, dismissed: 0, total: last.size };
  for (const s of last.values()) c[s as 'completed']++;
  return c;
}

export function overview(facts: Fact[], from: string, to: string, prevFrom: string, prevTo: string, minStarts: number) {
  const count = (w: Window) => {
    const per = new Map<string, { starts: number; completions: number; dismissals: number }>();
    for (const f of facts.filter(inW(w))) {
      if (!f.tourId || !/^Tour|^Step/.test(f.type)) continue;
      const m = per.get(f.tourId) ?? { starts: 0, completions: 0, dismissals: 0 };
      if (f.type === 'TourStarted') m.starts++;
      if (f.type === 'TourCompleted') m.completions++;
      if (f.type === 'TourDismissed') m.dismissals++;
      per.set(f.tourId, m);
    }
    return per;
  };
  const now = count(windowOf(from, to));
  const prev = count(windowOf(prevFrom, prevTo));
  const sum = (m: typeof now, k: 'starts' | 'completions') => [...m.values()].reduce((n, x) => n + x[k], 0);
  const rate = tenths(sum(now, 'completions'), sum(now, 'starts'));
  const prevRate = tenths(sum(prev, 'completions'), sum(prev, 'starts'));
  const tours = [...now].map(([id, m]) => {
    const r = tenths(m.completions, m.starts);
    return { tour_id: id, ...m, completion_rate: r / 10, dropoff_rate: m.starts ? (1000 - r) / 10 : 0 };
  }).sort((a, b) => b.starts - a.starts || a.tour_id.localeCompare(b.tour_id));
  const eligible = tours.filter((t) => t.starts >= minStarts);
  const best = (k: 'completion_rate' | 'dropoff_rate') => eligible.reduce<(typeof tours)[number] | null>((b, t) => (!b || t[k] > b[k] ? t : b), null);
  const worst = best('dropoff_rate');
  const w = windowOf(from, to);
  const contents = new Set(facts.filter(inW(w)).filter((f) => f.contentId && CONTENTS.includes(f.contentId) && /^Content/.test(f.type)).map((f) => f.contentId));
  return {
    period: { from, to },
    previous_period: { from: prevFrom, to: prevTo },
    active_tours: now.size,
    active_content_items: contents.size,
    starts: sum(now, 'starts'),
    completions: sum(now, 'completions'),
    completion_rate: rate / 10,
    previous_completion_rate: prevRate / 10,
    completion_rate_trend: sum(prev, 'starts') ? (rate - prevRate) / 10 : null,
    min_starts: minStarts,
    top_tour: best('completion_rate'),
    highest_dropoff_tour: worst && { ...worst, largest_drop_step: funnel(facts, worst.tour_id, from, to).largest_drop_step },
    tours,
  };
}

export function selectors(facts: Fact[], from: string, to: string) {
  const per = new Map<string, { selector: string; content_kind: string; content_id: string; failures: number }>();
  for (const f of facts.filter(inW(windowOf(from, to)))) {
    if (f.type !== 'target_not_found') continue;
    const k = `${f.selector}|${f.tourId}`;
    const e = per.get(k) ?? { selector: f.selector!, content_kind: 'tour', content_id: f.tourId!, failures: 0 };
    e.failures++;
    per.set(k, e);
  }
  const list = [...per.values()].sort((a, b) => b.failures - a.failures || a.selector.localeCompare(b.selector) || a.content_id.localeCompare(b.content_id));
  return { period: { from, to }, total_failures: list.reduce((n, x) => n + x.failures, 0), broken_selectors: list };
}

const nearestRank = (xs: number[], p: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.ceil(p * s.length) - 1]!;
};

export function journey(facts: Fact[], key: string, from: string, to: string) {
  const fs = facts.filter(inW(windowOf(from, to))).sort((a, b) => a.ts - b.ts);
  const started = new Set(fs.filter((f) => f.type === 'session_start').map((f) => f.session));
  const completedEnds = fs.filter((f) => f.type === 'session_end' && f.completed);
  const completed = new Set(completedEnds.map((f) => f.session));
  const lastStep = new Map<number, string>();
  const steps = new Map<string, { sessions: Set<number>; first: number }>();
  for (const f of fs.filter((x) => x.type === 'step_view')) {
    lastStep.set(f.session, f.stepKey!);
    const s = steps.get(f.stepKey!) ?? { sessions: new Set<number>(), first: f.ts };
    s.sessions.add(f.session);
    steps.set(f.stepKey!, s);
  }
  const drops = new Map<string, number>();
  for (const [s, k] of lastStep) if (!completed.has(s)) drops.set(k, (drops.get(k) ?? 0) + 1);
  const fieldKeys = [...new Set(fs.filter((f) => f.fieldKey).map((f) => f.fieldKey!))].sort();
  return {
    journey_key: key,
    period: { from, to },
    sessions: started.size,
    completed_sessions: completed.size,
    completion_rate: pct(completed.size, started.size),
    time_to_complete_ms: { median: nearestRank(completedEnds.map((f) => f.durationMs!), 0.5), p90: nearestRank(completedEnds.map((f) => f.durationMs!), 0.9) },
    steps: [...steps]
      .sort(([ka, a], [kb, b]) => b.sessions.size - a.sessions.size || a.first - b.first || ka.localeCompare(kb))
      .map(([k, s]) => ({ step_key: k, sessions: s.sessions.size, pct_of_sessions: pct(s.sessions.size, started.size), dropoffs: drops.get(k) ?? 0, dropoff_rate: pct(drops.get(k) ?? 0, s.sessions.size) })),
    fields: fieldKeys.map((k) => {
      const errs = new Map<string, number>();
      for (const f of fs) if (f.type === 'validation_error' && f.fieldKey === k) errs.set(f.errorType!, (errs.get(f.errorType!) ?? 0) + 1);
      const byType = [...errs].map(([error_type, count]) => ({ error_type, count })).sort((a, b) => b.count - a.count || a.error_type.localeCompare(b.error_type));
      return {
        field_key: k,
        focus_count: fs.filter((f) => f.type === 'field_focus' && f.fieldKey === k).length,
        median_engaged_ms: nearestRank(fs.filter((f) => f.type === 'field_blur' && f.fieldKey === k).map((f) => f.durationMs!), 0.5),
        validation_errors: byType.reduce((n, e) => n + e.count, 0),
        errors_by_type: byType,
      };
    }),
  };
}
