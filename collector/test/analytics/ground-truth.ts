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
export const windowOf = (from: string, to: string, tz = 'UTC'): Window =>
  tz === 'UTC' ? { start: Date.parse(`${from}T00:00:00Z`), end: Date.parse(`${to}T00:00:00Z`) + DAY } : { start: zonedMidnight(from, tz), end: zonedMidnight(nextDate(to), tz) };

const fmt = new Map<string, Intl.DateTimeFormat>();
/** `YYYY-MM-DD` of instant `t` in zone `tz` (Intl, not the collector's code). */
export function localDate(t: number, tz: string): string {
  if (tz === 'UTC') return day(t);
  let f = fmt.get(tz);
  if (!f) fmt.set(tz, (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(t);
}
const nextDate = (d: string) => day(Date.parse(`${d}T00:00:00Z`) + DAY);
/** First quarter hour whose local date is `date` (every zone's midnight is on a quarter hour). */
function zonedMidnight(date: string, tz: string): number {
  const base = Date.parse(`${date}T00:00:00Z`);
  for (let t = base - 15 * 3_600_000; t < base + 15 * 3_600_000; t += 900_000) if (localDate(t, tz) === date) return t;
  throw new Error(`no midnight of ${date} in ${tz}`);
}
const inW = (w: Window) => (f: Fact) => f.ts >= w.start && f.ts < w.end;

export function tourDaily(facts: Fact[], tourId: string, from: string, to: string, tz = 'UTC') {
  const w = windowOf(from, to, tz);
  const rows = new Map<string, { starts: number; completions: number; dismissals: number }>();
  for (let d = from; d <= to; d = nextDate(d)) rows.set(d, { starts: 0, completions: 0, dismissals: 0 });
  for (const f of facts.filter(inW(w))) {
    if (f.tourId !== tourId) continue;
    const r = rows.get(localDate(f.ts, tz))!;
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

const TOUR_EVENTS = new Set(['TourStarted', 'StepViewed', 'StepCompleted', 'TourCompleted', 'TourDismissed', 'TourRestarted']);

/** Tour attempts (tour × session) whose first tour event lies in the window, with their facts. */
function attempts(facts: Fact[], tourId: string, from: string, to: string): Fact[][] {
  const w = windowOf(from, to);
  const by = new Map<number, Fact[]>();
  for (const f of facts) {
    if (f.tourId !== tourId || !TOUR_EVENTS.has(f.type)) continue;
    const list = by.get(f.session) ?? [];
    list.push(f);
    by.set(f.session, list);
  }
  return [...by.values()].filter((fs) => {
    const start = Math.min(...fs.map((f) => f.ts));
    return start >= w.start && start < w.end;
  });
}

export function funnel(facts: Fact[], tourId: string, from: string, to: string) {
  const as = attempts(facts, tourId, from, to);
  const started = as.filter((fs) => fs.some((f) => f.type === 'TourStarted' || f.type === 'TourRestarted')).length;
  const steps = TOURS[tourId]!.steps.map((stepId, i) => ({
    step_index: i,
    step_id: stepId,
    users: as.filter((fs) => fs.some((f) => f.type === 'StepViewed' && f.stepIndex === i)).length,
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
const RANK: Record<string, number> = { in_progress: 0, dismissed: 1, completed: 2 };

export function usersByStatus(facts: Fact[], tourId: string, from: string, to: string) {
  const c = { completed: 0, in_progress: 0, dismissed: 0, total: 0 };
  for (const fs of attempts(facts, tourId, from, to)) {
    let last: [number, string] | undefined;
    for (const f of fs) {
      const s = LIFECYCLE[f.type];
      if (s && (!last || f.ts > last[0] || (f.ts === last[0] && RANK[s]! > RANK[last[1]]!))) last = [f.ts, s];
    }
    if (!last) continue;
    c[last[1] as 'completed']++;
    c.total++;
  }
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

/** The exact value a DDSketch quantile estimates: rank ⌊q × (n − 1)⌋ of the sorted values. */
export const lowerRank = (xs: number[], q: number): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))]!;
};

const JOURNEY_TYPES = new Set(['session_start', 'step_view', 'field_focus', 'field_blur', 'validation_error', 'submit_success', 'session_end']);

/**
 * Journey analytics as the API answers it: sessions counted on the day of their first journey
 * event (with all they did, whenever), field events at their own time. Quantiles are the exact
 * values the API's estimates approximate (see `lowerRank`); `estimated` lists the values (test
 * compares them within 1 %).
 */
export function journey(facts: Fact[], key: string, from: string, to: string, configured?: string[], tz = 'UTC') {
  const w = windowOf(from, to, tz);
  const sessions = new Map<number, Fact[]>();
  for (const f of facts) {
    if (!JOURNEY_TYPES.has(f.type)) continue;
    const list = sessions.get(f.session) ?? [];
    list.push(f);
    sessions.set(f.session, list);
  }
  const inWindow = [...sessions.values()].map((fs) => ({ fs, start: Math.min(...fs.map((f) => f.ts)) })).filter((s) => s.start >= w.start && s.start < w.end);
  const days = new Map<string, { sessions: number; completed: number; durations: number[] }>();
  for (let d = from; d <= to; d = nextDate(d)) days.set(d, { sessions: 0, completed: 0, durations: [] });
  const reach = new Map<string, { n: number; pos: number }>();
  const drops = new Map<string, number>();
  const devices = new Map<string, number>();
  const languages = new Map<string, number>();
  const durations: number[] = [];
  let completed = 0;
  for (const { fs, start } of inWindow) {
    const d = days.get(localDate(start, tz))!;
    d.sessions++;
    const end = fs.filter((f) => f.type === 'session_end').sort((a, b) => a.ts - b.ts)[0];
    const done = end?.completed === true;
    if (done) {
      completed++;
      d.completed++;
      d.durations.push(end.durationMs!);
      durations.push(end.durationMs!);
    }
    const views = fs.filter((f) => f.type === 'step_view').sort((a, b) => a.ts - b.ts);
    const first = new Map<string, number>();
    for (const v of views) if (!first.has(v.stepKey!)) first.set(v.stepKey!, v.ts);
    [...first].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).forEach(([k], pos) => {
      const r = reach.get(k) ?? { n: 0, pos: 0 };
      r.n++;
      r.pos += pos;
      reach.set(k, r);
    });
    if (!done && views.length) {
      const last = views[views.length - 1]!.stepKey!;
      drops.set(last, (drops.get(last) ?? 0) + 1);
    }
    const st = fs.find((f) => f.type === 'session_start');
    devices.set(st?.device ?? 'unknown', (devices.get(st?.device ?? 'unknown') ?? 0) + 1);
    languages.set(st?.language ?? 'unknown', (languages.get(st?.language ?? 'unknown') ?? 0) + 1);
  }
  const seen = [...reach.keys()].filter((k) => !configured?.includes(k)).sort((a, b) => reach.get(a)!.pos / reach.get(a)!.n - reach.get(b)!.pos / reach.get(b)!.n || a.localeCompare(b));
  const order = [...(configured ?? []), ...seen];
  const steps = order.map((k) => {
    const n = reach.get(k)?.n ?? 0;
    const dr = drops.get(k) ?? 0;
    return { step_key: k, sessions: n, pct_of_sessions: pct(n, inWindow.length), dropoffs: dr, dropoff_rate: pct(dr, n), largest_dropoff: false };
  });
  const worst = steps.reduce<(typeof steps)[number] | undefined>((b, s) => (s.dropoffs > (b?.dropoffs ?? 0) ? s : b), undefined);
  if (worst) worst.largest_dropoff = true;
  const fe = facts.filter(inW(w));
  const fieldKeys = [...new Set(fe.filter((f) => f.fieldKey && JOURNEY_TYPES.has(f.type)).map((f) => f.fieldKey!))].sort();
  const ranked = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const q = (xs: number[]) => ({ median: lowerRank(xs, 0.5), p90: lowerRank(xs, 0.9) });
  return {
    journey_key: key,
    period: { from, to },
    sessions: inWindow.length,
    completed_sessions: completed,
    completion_rate: pct(completed, inWindow.length),
    time_to_complete_ms: q(durations),
    step_order: configured ? 'configured' : 'first_seen',
    steps,
    fields: fieldKeys.map((k) => {
      const errs = new Map<string, number>();
      for (const f of fe) if (f.type === 'validation_error' && f.fieldKey === k) errs.set(f.errorType!, (errs.get(f.errorType!) ?? 0) + 1);
      const byType = ranked(errs).map(([error_type, count]) => ({ error_type, count }));
      const engaged = fe.filter((f) => f.type === 'field_blur' && f.fieldKey === k).map((f) => f.durationMs!);
      return {
        field_key: k,
        focus_count: fe.filter((f) => f.type === 'field_focus' && f.fieldKey === k).length,
        median_engaged_ms: lowerRank(engaged, 0.5),
        p90_engaged_ms: lowerRank(engaged, 0.9),
        validation_errors: byType.reduce((n, e) => n + e.count, 0),
        errors_by_type: byType,
      };
    }),
    devices: ranked(devices).map(([device_class, sessions]) => ({ device_class, sessions })),
    languages: ranked(languages).map(([language, sessions]) => ({ language, sessions })),
    daily: [...days].map(([date, d]) => ({
      date, sessions: d.sessions, completed_sessions: d.completed, completion_rate: d.sessions ? pct(d.completed, d.sessions) : null, time_to_complete_ms: q(d.durations),
    })),
    estimates: ['time_to_complete_ms', 'daily[].time_to_complete_ms', 'fields[].median_engaged_ms', 'fields[].p90_engaged_ms'],
  };
}

/**
 * Compares an answer with the ground truth: exact everywhere, except the listed estimates, which
 * must lie within 1 % (plus the rounding to a whole ms) of the exact value they estimate.
 */
export function expectJourney(got: ReturnType<typeof journey>, want: ReturnType<typeof journey>, expect: (v: unknown, m?: string) => { toEqual(x: unknown): void; toBe(x: unknown): void }): void {
  const close = (g: number | null, w: number | null, where: string) => {
    if (w === null || g === null) return expect(g, where).toBe(w);
    expect(Math.abs(g - w) <= 0.01 * w + 0.5, `${where}: ${g} vs exact ${w}`).toBe(true);
  };
  const strip = (a: ReturnType<typeof journey>) => ({
    ...a,
    time_to_complete_ms: null,
    daily: a.daily.map((d) => ({ ...d, time_to_complete_ms: null })),
    fields: a.fields.map((f) => ({ ...f, median_engaged_ms: null, p90_engaged_ms: null })),
  });
  expect(strip(got)).toEqual(strip(want));
  for (const p of ['median', 'p90'] as const) {
    close(got.time_to_complete_ms[p], want.time_to_complete_ms[p], `time_to_complete_ms.${p}`);
    got.daily.forEach((d, i) => close(d.time_to_complete_ms[p], want.daily[i]!.time_to_complete_ms[p], `daily[${i}].time_to_complete_ms.${p}`));
  }
  got.fields.forEach((f, i) => {
    close(f.median_engaged_ms, want.fields[i]!.median_engaged_ms, `fields[${i}].median_engaged_ms`);
    close(f.p90_engaged_ms, want.fields[i]!.p90_engaged_ms, `fields[${i}].p90_engaged_ms`);
  });
}
